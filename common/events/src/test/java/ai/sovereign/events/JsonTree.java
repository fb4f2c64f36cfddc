package ai.sovereign.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Test helper: edits JSON at paths written the way {@link EventFormatException} names them ({@code data.gpus[0].index}). */
final class JsonTree {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z]+)|\\[(\\d+)]");

    private JsonTree() {}

    static ObjectNode parse(byte[] json) {
        return (ObjectNode) MAPPER.readTree(json);
    }

    static ObjectNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode value(String json) {
        return MAPPER.readTree(json);
    }

    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** The node at {@code path}, or a missing node. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (Object segment : segments(path)) {
            node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
        }
        return node;
    }

    static void remove(JsonNode root, String path) {
        List<Object> segments = segments(path);
        JsonNode parent = parent(root, segments);
        Object last = segments.getLast();
        if (last instanceof Integer index) {
            ((ArrayNode) parent).remove(index);
        } else {
            ((ObjectNode) parent).remove((String) last);
        }
    }

    static void set(JsonNode root, String path, JsonNode value) {
        List<Object> segments = segments(path);
        JsonNode parent = parent(root, segments);
        Object last = segments.getLast();
        if (last instanceof Integer index) {
            ((ArrayNode) parent).set(index, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
    }

    private static JsonNode parent(JsonNode root, List<Object> segments) {
        JsonNode node = root;
        for (Object segment : segments.subList(0, segments.size() - 1)) {
            node = segment instanceof Integer index ? node.get(index) : node.get((String) segment);
            if (node == null) {
                throw new IllegalArgumentException("no such path in fixture: " + segments);
            }
        }
        return node;
    }

    private static List<Object> segments(String path) {
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        while (m.find()) {
            segments.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
        }
        return segments;
    }
}
