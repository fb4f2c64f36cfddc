package ai.sovereign.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class HttpDateTest {

    @Test
    void formatsTheImfFixdateOfRfc9110() {
        assertEquals(
                "Sun, 06 Nov 1994 08:49:37 GMT",
                HttpDate.format(Instant.parse("1994-11-06T08:49:37.250Z").toEpochMilli()));
        assertEquals(
                "Tue, 01 Dec 2026 00:00:05 GMT",
                HttpDate.format(Instant.parse("2026-12-01T00:00:05Z").toEpochMilli()));
    }

    @Test
    void daysOneToNineHaveTwoDigitsAsImfFixdateRequires() {
        for (int day = 1; day <= 9; day++) {
            String value = HttpDate.format(
                    Instant.parse("2026-03-0" + day + "T10:00:00Z").toEpochMilli());
            assertEquals(", 0" + day + " Mar 2026 10:00:00 GMT", value.substring(3), value);
        }
    }

    @Test
    void theCachedValueIsTheCurrentSecond() {
        long before = System.currentTimeMillis() / 1000;
        String value = HttpDate.now().toString();
        long after = System.currentTimeMillis() / 1000;
        long second =
                ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        assertTrue(second >= before && second <= after, value);
    }
}
