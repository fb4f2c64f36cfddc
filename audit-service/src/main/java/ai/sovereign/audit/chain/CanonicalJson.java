package ai.sovereign.audit.chain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON that event hashes and checkpoint signatures are computed over, so that anyone can recompute them
 * offline from an export. It follows RFC 8785 (JCS) except for numbers:
 * <ul>
 *   <li>no whitespace; object members sorted by key, comparing UTF-16 code units (as JCS does); arrays in order;</li>
 *   <li>strings escape only {@code "} and {@code \} and the control characters below U+0020 ({@code \b \t \n \f \r}
 *       by name, the others as {@code \}{@code u00xx} in lower-case hex); everything else is written as itself in
 *       UTF-8;</li>
 *   <li>numbers are written as their exact decimal value without exponent and without trailing fractional zeros:
 *       {@code 1.0 → 1}, {@code 1e2 → 100}, {@code 0.10 → 0.1}, {@code -0 → 0} (JCS would use ECMAScript
 *       double formatting instead; an exact decimal survives PostgreSQL's {@code jsonb}, which keeps numbers as
 *       decimals);</li>
 *   <li>{@code true}, {@code false}, {@code null} as themselves.</li>
 * </ul>
 * Strings must be well-formed UTF-16 (no unpaired surrogates); the ingest path rejects events that are not.
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    /** {@code value} as canonical JSON in UTF-8. */
    public static byte[] toBytes(Object value) {
        return toString(value).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code value} as canonical JSON text. */
    public static String toString(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    /**
     * Appends {@code value}: null, a {@link String}, {@link Boolean}, {@link Number} (not NaN or infinite),
     * {@link Map} with string keys, or {@link Collection}.
     *
     * @throws IllegalArgumentException for any other value or a non-finite number
     */
    public static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(out, s);
            case Boolean b -> out.append(b.booleanValue());
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case Short s -> out.append(s.shortValue());
            case Byte b -> out.append(b.byteValue());
            case BigInteger i -> out.append(i);
            case BigDecimal d -> out.append(decimal(d));
            case Double d -> out.append(decimal(finite(d)));
            case Float f -> out.append(decimal(finite(f.doubleValue())));
            case Map<?, ?> map -> writeObject(out, map);
            case Collection<?> list -> writeArray(out, list);
            default ->
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    /** A number's canonical text: exact, plain, without trailing fractional zeros. */
    public static String decimal(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal finite(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        }
        // Double.toString's shortest round-trip digits, the same digits a JSON writer emits for the double
        return BigDecimal.valueOf(value);
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys must be strings (got " + key + ")");
            }
            keys.add(s);
        }
        keys.sort(null); // String.compareTo compares UTF-16 code units, as RFC 8785 sorts
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(out, keys.get(i));
            out.append(':');
            write(out, map.get(keys.get(i)));
        }
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Collection<?> values) {
        out.append('[');
        boolean first = true;
        for (Object value : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(out, value);
        }
        out.append(']');
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
