package ai.sovereign.simulator.json;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's JSON plumbing: one thread-safe mapper and lenient readers for request fields.
 * Requests are read as trees rather than bound to classes because both APIs accept several shapes
 * for one field (a string or an array, a number or a duration string) and unknown fields must be
 * ignored.
 */
public final class Json {

    // its own mapper: the simulator is a test tool that runs without the platform's application context
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** Parses a request body; an empty body reads as an empty object. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        JsonNode node = MAPPER.readTree(body);
        if (node == null || node.isMissingNode()) {
            return MAPPER.createObjectNode();
        }
        return node;
    }

    /** Whether a parse failure was malformed input rather than a bug of ours. */
    public static boolean isMalformed(RuntimeException e) {
        return e instanceof JacksonException;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static String text(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    public static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    /** A JSON string literal with quotes, for hand-assembled hot-path chunks. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        return out.append('"').toString();
    }

    /** A string field, or {@code fallback} when it is absent or not a string. */
    public static String string(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : fallback;
    }

    /** An integer field, or empty when absent or null; a non-number is a client error. */
    public static OptionalLong integer(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isNumber() || !value.canConvertToLong()) {
            throw new InvalidField(field, "'" + field + "' must be an integer (got " + value + ")");
        }
        return OptionalLong.of(value.asLong());
    }

    public static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? value.booleanValue() : fallback;
    }

    /** A field that may be a string or an array of strings (e.g. "stop"). */
    public static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.path(field);
        List<String> out = new ArrayList<>();
        if (value.isString()) {
            out.add(value.stringValue());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (item.isString()) {
                    out.add(item.stringValue());
                }
            }
        }
        return out;
    }

    /** A request field with a value the simulator cannot accept; the dialect maps it to a 400. */
    public static final class InvalidField extends RuntimeException {

        private final String field;

        public InvalidField(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
