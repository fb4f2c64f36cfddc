package ai.sovereign.simulator.generation;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A function the client offered, as both APIs describe it: {@code {"type":"function","function":{...}}}. */
public record ToolSpec(String name, JsonNode parameters) {

    /** Reads a request's {@code tools} array, skipping entries that are not functions with a name. */
    public static List<ToolSpec> parseAll(JsonNode tools) {
        List<ToolSpec> specs = new ArrayList<>();
        if (tools != null && tools.isArray()) {
            for (JsonNode tool : tools) {
                JsonNode function = tool.path("function");
                JsonNode name = function.path("name");
                if (name.isString() && !name.stringValue().isBlank()) {
                    specs.add(new ToolSpec(name.stringValue(), function.path("parameters")));
                }
            }
        }
        return specs;
    }
}
