package ai.sovereign.router.forward;

import ai.sovereign.runtime.errors.ApiException;
import jakarta.inject.Singleton;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a client's body into an {@link InferenceRequest}, answering 400 with the offending {@code param} for
 * anything malformed: the router must never answer 500 to something a client sent.
 */
@Singleton
public class InferenceRequestParser {

    private final JsonMapper json;

    public InferenceRequestParser(JsonMapper json) {
        this.json = json;
    }

    public InferenceRequest parse(Endpoint endpoint, byte[] body, int priority) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty; send a JSON object", null);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object", null);
        }
        ObjectNode object = (ObjectNode) root;
        String model = requiredString(object, "model");
        switch (endpoint) {
            case CHAT -> requireMessages(object);
            case COMPLETIONS -> requireTextOrList(object, "prompt");
            case EMBEDDINGS -> requireTextOrList(object, "input");
        }
        boolean stream = optionalBoolean(object, "stream", false);
        if (stream && endpoint == Endpoint.EMBEDDINGS) {
            throw ApiException.badRequest("embeddings cannot be streamed; leave out stream", "stream");
        }
        boolean includeUsage = false;
        JsonNode options = object.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiException.badRequest("stream_options must be an object", "stream_options");
            }
            includeUsage = optionalBoolean((ObjectNode) options, "include_usage", false);
        }
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            JsonNode value = object.get(field);
            if (value != null && !value.isNull() && !(value.isIntegralNumber() && value.asLong() >= 0)) {
                throw ApiException.badRequest(
                        field + " must be a non-negative integer (got " + brief(value) + ")", field);
            }
        }
        return new InferenceRequest(endpoint, model, stream, includeUsage, priority, object, body);
    }

    private static String requiredString(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("you must provide a " + field + " parameter", field);
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            throw ApiException.badRequest(field + " must be a non-empty string (got " + brief(value) + ")", field);
        }
        return value.stringValue();
    }

    private static void requireMessages(ObjectNode object) {
        JsonNode messages = object.get("messages");
        if (messages == null || messages.isNull()) {
            throw ApiException.badRequest("you must provide a messages parameter", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.badRequest(
                    "messages must be a non-empty array (got " + brief(messages) + ")", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw ApiException.badRequest(
                        "messages[" + i + "] must be an object (got " + brief(message) + ")", "messages[" + i + "]");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isString()) {
                throw ApiException.badRequest("messages[" + i + "].role must be a string", "messages[" + i + "].role");
            }
        }
    }

    private static void requireTextOrList(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("you must provide a " + field + " parameter", field);
        }
        if (!value.isString() && !value.isArray()) {
            throw ApiException.badRequest(field + " must be a string or an array (got " + brief(value) + ")", field);
        }
    }

    private static boolean optionalBoolean(ObjectNode object, String field, boolean fallback) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false (got " + brief(value) + ")", field);
        }
        return value.booleanValue();
    }

    static String brief(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
