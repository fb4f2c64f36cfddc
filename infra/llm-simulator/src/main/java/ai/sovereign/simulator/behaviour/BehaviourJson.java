package ai.sovereign.simulator.behaviour;

import ai.sovereign.simulator.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link ModelBehaviour} used by the control API and the config file. Durations
 * are milliseconds (fractions allowed) because that is what benchmark scripts write by hand.
 * Unknown fields are rejected, unlike in the inference APIs: a typo in a knob must not silently
 * leave the old behaviour in place.
 */
public final class BehaviourJson {

    private static final Set<String> FIELDS = Set.of(
            "ttftMs",
            "interTokenMs",
            "outputTokens",
            "maxConcurrency",
            "errorRate",
            "unavailable",
            "resetAfterTokens",
            "hang",
            "slowStartMs",
            "loadMs",
            "embeddingDimensions");

    private BehaviourJson() {}

    public static ObjectNode write(ModelBehaviour b) {
        ObjectNode node = Json.object();
        node.put("ttftMs", millis(b.timeToFirstToken()));
        node.put("interTokenMs", millis(b.interTokenLatency()));
        node.put("outputTokens", b.outputTokens());
        node.put("maxConcurrency", b.maxConcurrency());
        node.put("errorRate", b.errorRate());
        node.put("unavailable", b.unavailable());
        node.put("resetAfterTokens", b.resetAfterTokens());
        node.put("hang", b.hang());
        node.put("slowStartMs", millis(b.slowStart()));
        node.put("loadMs", millis(b.loadTime()));
        node.put("embeddingDimensions", b.embeddingDimensions());
        return node;
    }

    /**
     * Applies the fields present in {@code patch} on top of {@code base}.
     *
     * @throws IllegalArgumentException naming the field, for unknown fields, wrong types or
     *                                  out-of-range values
     */
    public static ModelBehaviour apply(ModelBehaviour base, JsonNode patch) {
        if (!patch.isObject()) {
            throw new IllegalArgumentException("behaviour must be a JSON object (got " + patch.getNodeType() + ")");
        }
        ModelBehaviour b = base;
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            b = switch (name) {
                case "ttftMs" -> b.withTimeToFirstToken(duration(name, value));
                case "interTokenMs" -> b.withInterTokenLatency(duration(name, value));
                case "outputTokens" -> b.withOutputTokens(integer(name, value));
                case "maxConcurrency" -> b.withMaxConcurrency(integer(name, value));
                case "errorRate" -> b.withErrorRate(number(name, value));
                case "unavailable" -> b.withUnavailable(bool(name, value));
                case "resetAfterTokens" -> b.withResetAfterTokens(integer(name, value));
                case "hang" -> b.withHang(bool(name, value));
                case "slowStartMs" -> b.withSlowStart(duration(name, value));
                case "loadMs" -> b.withLoadTime(duration(name, value));
                case "embeddingDimensions" -> b.withEmbeddingDimensions(integer(name, value));
                default ->
                    throw new IllegalArgumentException("unknown behaviour field '" + name + "'; known fields: "
                            + String.join(", ", FIELDS.stream().sorted().toList()));
            };
        }
        return b;
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }

    private static Duration duration(String name, JsonNode value) {
        double ms = number(name, value);
        if (ms < 0) {
            throw new IllegalArgumentException(name + " must be ≥ 0 (got " + ms + ")");
        }
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }

    private static double number(String name, JsonNode value) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(name + " must be a number (got " + value + ")");
        }
        return value.asDouble();
    }

    private static int integer(String name, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be an integer (got " + value + ")");
        }
        return value.asInt();
    }

    private static boolean bool(String name, JsonNode value) {
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(name + " must be true or false (got " + value + ")");
        }
        return value.booleanValue();
    }
}
