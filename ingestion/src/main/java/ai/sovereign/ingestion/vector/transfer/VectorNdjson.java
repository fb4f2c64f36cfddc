package ai.sovereign.ingestion.vector.transfer;

import ai.sovereign.ingestion.vector.VectorRecord;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One vector as one NDJSON line, the format the backup-service stores (docs/backup.md):
 * {@code {"collection","id","vector":[...],"fields":{"tenant","source_id","position"}}}.
 */
final class VectorNdjson {

    private final JsonMapper json;

    VectorNdjson(JsonMapper json) {
        this.json = json;
    }

    byte[] encode(String collection, VectorRecord record) {
        ObjectNode line = json.createObjectNode();
        line.put("collection", collection);
        line.put("id", record.chunkId());
        ArrayNode vector = line.putArray("vector");
        for (float v : record.vector()) {
            vector.add(v);
        }
        ObjectNode fields = line.putObject("fields");
        fields.put("tenant", record.tenant());
        fields.put("source_id", record.sourceId());
        fields.put("position", record.position());
        byte[] bytes = json.writeValueAsBytes(line);
        byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        withNewline[bytes.length] = '\n';
        return withNewline;
    }

    /** Decodes and checks one line; the message of the exception names what is wrong (the caller adds the line number). */
    VectorRecord decode(String line, String collection, int dimensions) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JacksonException e) {
            throw new InvalidLine("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidLine("not a JSON object");
        }
        String lineCollection = text(node, "collection");
        if (!lineCollection.equals(collection)) {
            throw new InvalidLine("collection " + lineCollection + " is not this store's collection " + collection
                    + " (vectors of another embedding model do not fit)");
        }
        String id = text(node, "id");
        JsonNode values = node.get("vector");
        if (values == null || !values.isArray()) {
            throw new InvalidLine("vector must be an array of numbers");
        }
        if (values.size() != dimensions) {
            throw new InvalidLine("vector has " + values.size() + " dimensions, the collection " + dimensions);
        }
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            JsonNode value = values.get(i);
            if (!value.isNumber() || !Float.isFinite(value.floatValue())) {
                throw new InvalidLine("vector[" + i + "] is not a finite number");
            }
            vector[i] = value.floatValue();
        }
        JsonNode fields = node.get("fields");
        if (fields == null || !fields.isObject()) {
            throw new InvalidLine("fields must be an object with tenant, source_id and position");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.properties().iterator(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!name.equals("tenant") && !name.equals("source_id") && !name.equals("position")) {
                throw new InvalidLine("unknown field fields." + name);
            }
        }
        JsonNode position = fields.get("position");
        if (position == null
                || !position.isIntegralNumber()
                || position.asLong() < 0
                || position.asLong() > Integer.MAX_VALUE) {
            throw new InvalidLine("fields.position must be a non-negative integer");
        }
        return new VectorRecord(id, text(fields, "tenant"), text(fields, "source_id"), position.asInt(), vector);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new InvalidLine((node.has("collection") ? "" : "fields.") + name + " must be a non-empty string");
        }
        return value.asString();
    }

    /** A line that cannot be imported. */
    static final class InvalidLine extends RuntimeException {
        InvalidLine(String message) {
            super(message, null, false, false);
        }
    }
}
