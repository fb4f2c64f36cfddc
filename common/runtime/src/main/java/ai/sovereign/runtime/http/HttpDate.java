package ai.sovereign.runtime.http;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header of the fast lane's answers (RFC 9110 IMF-fixdate,
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}: always two day digits, which {@code DateTimeFormatter.RFC_1123_DATE_TIME}
 * does not write), formatted at most once a second and shared by every connection: an answer reads the cached value
 * unless the second has changed since it was made.
 */
public final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** The second a value was made for, and the value; replaced whole, so readers on any thread see a matching pair. */
    private record Cached(long second, AsciiString value) {}

    private static volatile Cached cached = new Cached(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

    private HttpDate() {}

    /** The header value for now. */
    public static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.second() != second) {
            current = new Cached(second, new AsciiString(format(second * 1000)));
            cached = current;
        }
        return current.value();
    }

    /** The header value for {@code epochMillis}. */
    public static String format(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }
}
