package ai.sovereign.router.queue;

import ai.sovereign.runtime.errors.ApiException;
import java.util.Locale;

/** The {@code X-Priority} header: 0 (lowest) to 9 (highest), or {@code low} (2), {@code normal} (5), {@code high} (8). */
public final class Priority {

    public static final String HEADER = "X-Priority";
    public static final int NORMAL = 5;

    private Priority() {}

    /** The priority a header value asks for; {@link #NORMAL} when absent; 400 naming the header when malformed. */
    public static int parse(String header) {
        if (header == null || header.isBlank()) {
            return NORMAL;
        }
        String value = header.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "low" -> {
                return 2;
            }
            case "normal" -> {
                return NORMAL;
            }
            case "high" -> {
                return 8;
            }
            default -> {}
        }
        if (value.length() == 1 && Character.isDigit(value.charAt(0))) {
            return value.charAt(0) - '0';
        }
        throw ApiException.badRequest(
                HEADER + " must be 0-9 or low, normal, high (got \"" + shorten(header) + "\")", HEADER);
    }

    private static String shorten(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "..." : value;
    }
}
