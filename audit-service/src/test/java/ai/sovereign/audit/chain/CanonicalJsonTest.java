package ai.sovereign.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.sovereign.audit.store.StoredEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical JSON that hashes are computed over: table-driven cases, and the property the verifier relies on —
 * a value stored as {@code jsonb} text and read back gives the same bytes.
 */
class CanonicalJsonTest {

    static Stream<Arguments> cases() {
        Map<String, Object> unordered = new LinkedHashMap<>();
        unordered.put("b", 1);
        unordered.put("a", List.of());
        unordered.put("é", Map.of());
        unordered.put("B", null);
        return Stream.of(
                Arguments.of(unordered, "{\"B\":null,\"a\":[],\"b\":1,\"é\":{}}"),
                Arguments.of(1.0, "1"),
                Arguments.of(0.1, "0.1"),
                Arguments.of(1e21, "1000000000000000000000"),
                Arguments.of(-0.0, "0"),
                Arguments.of(new BigDecimal("2.500"), "2.5"),
                Arguments.of(new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
                Arguments.of(Long.MIN_VALUE, "-9223372036854775808"),
                Arguments.of("q\"b\\t\tn\nc\u0001 é🙂", "\"q\\\"b\\\\t\\tn\\nc\\u0001 é🙂\""),
                Arguments.of(List.of(true, false, "x"), "[true,false,\"x\"]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void writesTheCanonicalForm(Object value, String expected) {
        assertThat(CanonicalJson.toString(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void survivesARoundTripThroughTheStoredText(Object value, String expected) {
        Object readBack = StoredEvent.JSON
                .readValue("{\"v\":" + expected + "}", Map.class)
                .get("v");
        assertThat(CanonicalJson.toString(readBack)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void hashLinksFollowThePreviousHash() {
        byte[] first = HashChain.link(HashChain.genesis(), "{}".getBytes());
        byte[] second = HashChain.link(first, "{}".getBytes());
        assertThat(first).hasSize(32).isNotEqualTo(second);
        assertThat(HashChain.hex(HashChain.link(HashChain.genesis(), "{}".getBytes())))
                .isEqualTo(HashChain.hex(first));
    }
}
