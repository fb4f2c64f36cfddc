package ai.sovereign.runtime.requestid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request-id rule: a sane id from the caller is kept, anything else replaced by a fresh version-4 UUID. */
class RequestIdsTest {

    @ParameterizedTest(name = "[{0}] acceptable: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "client-id.42:a_b|true",
                "A|true",
                "0123456789abcdef0123456789abcdef|true",
                "''|false",
                "has space|false",
                "slash/not|false",
                "star*|false",
                "semi;colon|false",
                "é|false",
            })
    void onlyAConservativeAlphabetIsAccepted(String id, boolean acceptable) {
        assertEquals(acceptable, RequestIds.acceptable(id));
        assertEquals(acceptable, id.equals(RequestIds.accept(id)));
    }

    @Test
    void theLengthIsBoundedAt128AndControlCharactersRefused() {
        assertTrue(RequestIds.acceptable("a".repeat(128)));
        assertFalse(RequestIds.acceptable("a".repeat(129)));
        assertFalse(RequestIds.acceptable("id\r\nX-Injected: 1"));
    }

    @Test
    void aMissingOrRefusedIdIsReplacedByAFreshVersion4Uuid() {
        for (String presented : new String[] {null, "", "not/a*good id"}) {
            UUID fresh = UUID.fromString(RequestIds.accept(presented));
            assertEquals(4, fresh.version(), "version of " + fresh);
            assertEquals(2, fresh.variant(), "IETF variant of " + fresh);
        }
        assertNotEquals(RequestIds.fresh(), RequestIds.fresh());
        assertNotNull(UUID.fromString(RequestIds.fresh()));
    }
}
