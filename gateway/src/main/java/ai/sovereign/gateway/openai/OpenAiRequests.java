package ai.sovereign.gateway.openai;

import ai.sovereign.gateway.json.JsonBodies;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the fields the gateway itself relies on in OpenAI requests (model, messages/prompt/input, stream,
 * stream_options), so bad input gets a 400 naming the field here rather than an error from further down. Everything
 * else (tools, tool_choice, response_format, ...) passes through untouched for the router and the server to judge.
 */
public final class OpenAiRequests {

    private OpenAiRequests() {}

    public static String chat(ObjectNode body) {
        String model = JsonBodies.modelName(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw JsonBodies.invalid("'messages' is required", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw JsonBodies.invalid("'messages' must be a non-empty array of message objects", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isString()) {
                throw JsonBodies.invalid("'messages[" + i + "]' must be an object with a string 'role'", "messages");
            }
        }
        streamFields(body);
        return model;
    }

    public static String completion(ObjectNode body) {
        String model = JsonBodies.modelName(body, "model");
        JsonNode prompt = body.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw JsonBodies.invalid("'prompt' is required", "prompt");
        }
        if (!prompt.isString() && !prompt.isArray()) {
            throw JsonBodies.invalid("'prompt' must be a string or an array", "prompt");
        }
        streamFields(body);
        return model;
    }

    public static String embedding(ObjectNode body) {
        String model = JsonBodies.modelName(body, "model");
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw JsonBodies.invalid("'input' is required", "input");
        }
        if (!input.isString() && !input.isArray()) {
            throw JsonBodies.invalid("'input' must be a string or an array", "input");
        }
        if (body.has("stream") && JsonBodies.optionalBoolean(body, "stream", false)) {
            throw JsonBodies.invalid("embeddings cannot be streamed", "stream");
        }
        return model;
    }

    private static void streamFields(ObjectNode body) {
        JsonBodies.optionalBoolean(body, "stream", false);
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw JsonBodies.invalid("'stream_options' must be an object", "stream_options");
            }
            JsonBodies.optionalBoolean(options, "include_usage", false);
        }
    }

    /** Whether the client asked for a usage chunk at the end of its stream. */
    public static boolean wantsUsage(ObjectNode body) {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }
}
