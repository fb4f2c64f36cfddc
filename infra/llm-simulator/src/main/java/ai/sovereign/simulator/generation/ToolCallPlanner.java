package ai.sovereign.simulator.generation;

import ai.sovereign.simulator.json.Json;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides deterministically whether an answer is a tool call, so tool-call fields can be tested
 * through a proxy: a forced tool_choice always calls; otherwise the last user message must start
 * with "call " (the next word picks the function by name, else the first tool is used).
 */
final class ToolCallPlanner {

    private static final String TRIGGER = "call ";

    private ToolCallPlanner() {}

    static Optional<ToolCall> plan(
            List<ToolSpec> tools, ToolChoice choice, String lastUserMessage, SplittableRandom random) {
        if (tools.isEmpty() || choice instanceof ToolChoice.None) {
            return Optional.empty();
        }
        String message = lastUserMessage.strip();
        boolean asked = message.regionMatches(true, 0, TRIGGER, 0, TRIGGER.length());
        if (choice instanceof ToolChoice.Auto && !asked) {
            return Optional.empty();
        }
        ToolSpec target = switch (choice) {
            case ToolChoice.Named named -> byName(tools, named.function()).orElse(tools.getFirst());
            default ->
                asked
                        ? byName(tools, firstWord(message.substring(TRIGGER.length())))
                                .orElse(tools.getFirst())
                        : tools.getFirst();
        };
        String id = "call_" + HexFormat.of().toHexDigits(random.nextLong())
                + HexFormat.of().toHexDigits(random.nextInt());
        return Optional.of(new ToolCall(id, target.name(), Json.text(arguments(target.parameters(), random))));
    }

    private static Optional<ToolSpec> byName(List<ToolSpec> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static String firstWord(String text) {
        String stripped = text.strip();
        int end = 0;
        while (end < stripped.length()
                && !Character.isWhitespace(stripped.charAt(end))
                && stripped.charAt(end) != '(') {
            end++;
        }
        return stripped.substring(0, end);
    }

    // One value per declared property, typed after the JSON schema, so clients that validate
    // arguments against their own schema accept them.
    private static ObjectNode arguments(JsonNode parameters, SplittableRandom random) {
        ObjectNode args = Json.object();
        for (Map.Entry<String, JsonNode> property :
                parameters.path("properties").properties()) {
            JsonNode schema = property.getValue();
            String name = property.getKey();
            JsonNode enumValues = schema.path("enum");
            if (enumValues.isArray() && !enumValues.isEmpty()) {
                args.set(name, enumValues.get(random.nextInt(enumValues.size())));
                continue;
            }
            switch (schema.path("type").asString("string")) {
                case "integer" -> args.put(name, random.nextInt(1, 100));
                case "number" -> args.put(name, random.nextInt(1, 10_000) / 100.0);
                case "boolean" -> args.put(name, random.nextBoolean());
                case "array" -> args.putArray(name).add(TextGenerator.word(random));
                case "object" -> args.putObject(name);
                default -> args.put(name, TextGenerator.word(random));
            }
        }
        return args;
    }
}
