package ai.sovereign.simulator.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Ollama's {@code keep_alive}: a number of seconds or a Go duration string ("5m", "1h30m", "-1").
 * Zero unloads the model; a negative value keeps it loaded for ever.
 */
public final class KeepAlive {

    /** Ollama's default when a request gives none. */
    public static final Duration DEFAULT = Duration.ofMinutes(5);
    /** How "for ever" is represented. */
    public static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private KeepAlive() {}

    /**
     * Reads an Ollama {@code keep_alive} value (seconds as a number, or a duration string such as {@code "5m"}).
     *
     * @throws IllegalArgumentException for a value Ollama would also reject
     */
    public static Duration parse(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return DEFAULT;
        }
        if (value.isNumber()) {
            double seconds = value.asDouble();
            return seconds < 0 ? FOREVER : Duration.ofNanos((long) (seconds * 1e9));
        }
        if (value.isString()) {
            return parse(value.stringValue().trim());
        }
        throw new IllegalArgumentException(
                "keep_alive must be a number of seconds or a duration string (got " + value + ")");
    }

    static Duration parse(String text) {
        if (text.isEmpty()) {
            return DEFAULT;
        }
        if (text.startsWith("-")) {
            return FOREVER;
        }
        if (text.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher m = PART.matcher(text);
        long nanos = 0;
        int consumed = 0;
        while (m.find()) {
            if (m.start() != consumed) {
                break;
            }
            double amount = Double.parseDouble(m.group(1));
            nanos += (long) (amount
                    * switch (m.group(2)) {
                        case "ns" -> 1L;
                        case "us", "µs" -> 1_000L;
                        case "ms" -> 1_000_000L;
                        case "s" -> 1_000_000_000L;
                        case "m" -> 60_000_000_000L;
                        default -> 3_600_000_000_000L;
                    });
            consumed = m.end();
        }
        if (consumed != text.length()) {
            throw new IllegalArgumentException("keep_alive '" + text + "' is not a duration like \"5m\" or \"30s\"");
        }
        return Duration.ofNanos(nanos);
    }
}
