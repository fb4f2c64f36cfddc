package ai.sovereign.gateway.ollama;

import ai.sovereign.gateway.json.JsonBodies;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama requests as the router's OpenAI requests: {@code /api/chat} and {@code /api/generate} become chat
 * completions, {@code /api/embed} and {@code /api/embeddings} become embeddings; {@code options} map to the OpenAI
 * sampling fields, {@code format} to {@code response_format}, tool-call arguments (objects in Ollama) to JSON
 * strings, images to {@code image_url} content parts. Pure functions; bad input is a 400 naming the field.
 */
public final class OllamaRequests {

    /** Ollama option → OpenAI field, for the options that map one to one. */
    private static final Map<String, String> OPTIONS = Map.of(
            "temperature", "temperature",
            "top_p", "top_p",
            "seed", "seed",
            "frequency_penalty", "frequency_penalty",
            "presence_penalty", "presence_penalty");

    private OllamaRequests() {}

    /** Whether an Ollama request streams: Ollama's default is true. */
    public static boolean stream(JsonNode body) {
        return JsonBodies.optionalBoolean(body, "stream", true);
    }

    public static ObjectNode chat(JsonNode body) {
        ObjectNode out = base(body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw JsonBodies.invalid("'messages' must be an array of message objects", "messages");
        }
        ArrayNode converted = out.putArray("messages");
        for (int i = 0; i < messages.size(); i++) {
            converted.add(message(messages.get(i), i));
        }
        if (body.has("tools") && !body.get("tools").isNull()) {
            if (!body.get("tools").isArray()) {
                throw JsonBodies.invalid("'tools' must be an array", "tools");
            }
            out.set("tools", body.get("tools"));
        }
        return out;
    }

    public static ObjectNode generate(JsonNode body) {
        ObjectNode out = base(body);
        ArrayNode messages = out.putArray("messages");
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            if (!system.isString()) {
                throw JsonBodies.invalid("'system' must be a string", "system");
            }
            messages.addObject().put("role", "system").put("content", system.stringValue());
        }
        messages.addObject().put("role", "user").put("content", prompt(body));
        return out;
    }

    /** The generate prompt; empty when absent (Ollama then only loads the model). */
    public static String prompt(JsonNode body) {
        JsonNode prompt = body.get("prompt");
        if (prompt == null || prompt.isNull()) {
            return "";
        }
        if (!prompt.isString()) {
            throw JsonBodies.invalid("'prompt' must be a string", "prompt");
        }
        return prompt.stringValue();
    }

    public static ObjectNode embed(JsonNode body) {
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        out.put("model", JsonBodies.modelName(body, "model"));
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw JsonBodies.invalid("'input' is required", "input");
        }
        if (!input.isString() && !input.isArray()) {
            throw JsonBodies.invalid("'input' must be a string or an array of strings", "input");
        }
        out.set("input", input);
        JsonNode dimensions = body.get("dimensions");
        if (dimensions != null && !dimensions.isNull()) {
            if (!dimensions.isIntegralNumber() || dimensions.longValue() < 1) {
                throw JsonBodies.invalid("'dimensions' must be a positive whole number", "dimensions");
            }
            out.put("dimensions", dimensions.longValue());
        }
        return out;
    }

    public static ObjectNode embeddings(JsonNode body) {
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        out.put("model", JsonBodies.modelName(body, "model"));
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isString()) {
            throw JsonBodies.invalid("'prompt' must be a string", "prompt");
        }
        out.put("input", prompt.stringValue());
        return out;
    }

    private static ObjectNode base(JsonNode body) {
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        out.put("model", JsonBodies.modelName(body, "model"));
        out.put("stream", stream(body));
        format(body.get("format"), out);
        JsonNode options = body.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw JsonBodies.invalid("'options' must be an object", "options");
            }
            options(options, out);
        }
        return out;
    }

    static void options(JsonNode options, ObjectNode out) {
        for (Map.Entry<String, String> mapping : OPTIONS.entrySet()) {
            JsonNode value = options.get(mapping.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isNumber()) {
                throw JsonBodies.invalid(
                        "'options." + mapping.getKey() + "' must be a number", "options." + mapping.getKey());
            }
            if (mapping.getKey().equals("seed")) {
                out.put("seed", value.longValue());
            } else {
                out.set(mapping.getValue(), value);
            }
        }
        JsonNode numPredict = options.get("num_predict");
        if (numPredict != null && !numPredict.isNull()) {
            if (!numPredict.isIntegralNumber()) {
                throw JsonBodies.invalid("'options.num_predict' must be a whole number", "options.num_predict");
            }
            if (numPredict.longValue() > 0) {
                out.put("max_tokens", numPredict.longValue());
            }
        }
        JsonNode stop = options.get("stop");
        if (stop != null && !stop.isNull()) {
            if (stop.isString()) {
                out.putArray("stop").add(stop.stringValue());
            } else if (stop.isArray()) {
                for (JsonNode s : stop) {
                    if (!s.isString()) {
                        throw JsonBodies.invalid(
                                "'options.stop' must be a string or a list of strings", "options.stop");
                    }
                }
                out.set("stop", stop);
            } else {
                throw JsonBodies.invalid("'options.stop' must be a string or a list of strings", "options.stop");
            }
        }
    }

    static void format(JsonNode format, ObjectNode out) {
        if (format == null
                || format.isNull()
                || (format.isString() && format.stringValue().isEmpty())) {
            return;
        }
        if (format.isString() && format.stringValue().equals("json")) {
            out.putObject("response_format").put("type", "json_object");
        } else if (format.isObject()) {
            ObjectNode schema =
                    out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
            schema.put("name", "response");
            schema.set("schema", format);
        } else {
            throw JsonBodies.invalid("'format' must be \"json\" or a JSON schema object", "format");
        }
    }

    private static ObjectNode message(JsonNode message, int index) {
        String where = "messages[" + index + "]";
        if (!message.isObject() || !message.path("role").isString()) {
            throw JsonBodies.invalid("'" + where + "' must be an object with a string 'role'", "messages");
        }
        JsonNode content = message.get("content");
        if (content != null && !content.isNull() && !content.isString()) {
            throw JsonBodies.invalid("'" + where + ".content' must be a string", "messages");
        }
        ObjectNode out = JsonBodies.MAPPER.createObjectNode();
        out.put("role", message.get("role").stringValue());
        String text = content == null || content.isNull() ? "" : content.stringValue();
        JsonNode images = message.get("images");
        if (images != null && images.isArray() && !images.isEmpty()) {
            ArrayNode parts = out.putArray("content");
            parts.addObject().put("type", "text").put("text", text);
            for (JsonNode image : images) {
                if (!image.isString()) {
                    throw JsonBodies.invalid("'" + where + ".images' must be base64 strings", "messages");
                }
                parts.addObject()
                        .put("type", "image_url")
                        .putObject("image_url")
                        .put("url", "data:image/png;base64," + image.stringValue());
            }
        } else {
            out.put("content", text);
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && calls.isArray()) {
            ArrayNode converted = out.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode function = calls.get(i).path("function");
                ObjectNode call = converted.addObject();
                call.put("id", "call_" + index + "_" + i);
                call.put("type", "function");
                JsonNode arguments = function.path("arguments");
                call.putObject("function")
                        .put("name", function.path("name").asString(""))
                        .put(
                                "arguments",
                                arguments.isString()
                                        ? arguments.stringValue()
                                        : JsonBodies.MAPPER.writeValueAsString(
                                                arguments.isMissingNode()
                                                        ? JsonBodies.MAPPER.createObjectNode()
                                                        : arguments));
            }
        }
        if (message.path("tool_name").isString()) {
            out.put("name", message.get("tool_name").stringValue());
        }
        return out;
    }
}
