package ai.sovereign.runtime.json;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What an audit event says changed: each field whose value differs between two descriptions of a resource, as
 * {@code {"<field>": {"before": …, "after": …}}} (a field that appeared has {@code before} null, one that went away
 * {@code after} null). Nested documents are compared field by field under dotted paths; an array of objects that
 * all carry an {@code id} is compared element by element under {@code <array>[<id>]}, any other array as one value.
 */
public final class FieldChanges {

    private FieldChanges() {}

    /** The differing fields of two flat descriptions, in {@code after}'s order, then the fields only {@code before} has. */
    public static Map<String, Object> between(Map<String, ?> before, Map<String, ?> after) {
        Set<String> fields = new LinkedHashSet<>(after.keySet());
        fields.addAll(before.keySet());
        Map<String, Object> changes = new LinkedHashMap<>();
        for (String field : fields) {
            Object was = before.get(field);
            Object is = after.get(field);
            if (!Objects.equals(was, is)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", was);
                change.put("after", is);
                changes.put(field, change);
            }
        }
        return changes;
    }

    /** The differing fields of two JSON documents, by dotted path. */
    public static Map<String, Object> between(JsonNode before, JsonNode after) {
        return between(flatten(before), flatten(after));
    }

    /** A JSON document as dotted path → plain value (string, long, double, boolean, null, or an array's JSON text). */
    public static Map<String, Object> flatten(JsonNode document) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", document, flat);
        return flat;
    }

    private static void flatten(String path, JsonNode node, Map<String, Object> flat) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), flat);
            }
        } else if (node.isArray() && identified(node)) {
            for (JsonNode element : node) {
                flatten(path + "[" + element.get("id").asString() + "]", element, flat);
            }
        } else {
            flat.put(path, value(node));
        }
    }

    private static boolean identified(JsonNode array) {
        if (array.isEmpty()) {
            return false;
        }
        for (JsonNode element : array) {
            if (!element.isObject() || !element.path("id").isValueNode()) {
                return false;
            }
        }
        return true;
    }

    private static Object value(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.toString();
    }
}
