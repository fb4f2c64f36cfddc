package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.openai.OpenAiErrors.InvalidRequest;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * The fields chat and legacy completions share. Unknown fields (temperature, top_p, user, ...)
 * are ignored; only values the simulator cannot honour are rejected, naming the parameter.
 *
 * @param maxTokens max_completion_tokens, else max_tokens, else -1 for "no limit"
 */
record OpenAiRequest(
        JsonNode body,
        String model,
        boolean stream,
        boolean includeUsage,
        int maxTokens,
        List<String> stop,
        OptionalLong seed) {

    /** Parses the body, or answers 400 in OpenAI's format and returns null. */
    static OpenAiRequest parse(HttpExchange exchange) {
        try {
            JsonNode body = body(exchange);
            String model = Json.string(body, "model", "");
            if (model.isBlank()) {
                throw new InvalidRequest("you must provide a model parameter", "model", null);
            }
            long n = Json.integer(body, "n").orElse(1);
            if (n != 1) {
                throw new InvalidRequest("the simulator supports only n=1 (got " + n + ")", "n", "unsupported_value");
            }
            int maxTokens = maxTokens(body);
            boolean includeUsage = Json.bool(body.path("stream_options"), "include_usage", false);
            return new OpenAiRequest(
                    body,
                    model,
                    Json.bool(body, "stream", false),
                    includeUsage,
                    maxTokens,
                    Json.strings(body, "stop"),
                    Json.integer(body, "seed"));
        } catch (InvalidRequest e) {
            OpenAiErrors.invalid(exchange, e);
            return null;
        } catch (Json.InvalidField e) {
            OpenAiErrors.invalid(exchange, new InvalidRequest(e.getMessage(), e.field(), "invalid_type"));
            return null;
        }
    }

    /** Parses a body that must be a JSON object; malformed JSON is a 400, never a 500. */
    static JsonNode body(HttpExchange exchange) {
        JsonNode body;
        try {
            body = Json.parse(exchange.body());
        } catch (RuntimeException e) {
            if (!Json.isMalformed(e)) {
                throw e;
            }
            throw new InvalidRequest(
                    "We could not parse the JSON body of your request: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    null,
                    null);
        }
        if (!body.isObject()) {
            throw new InvalidRequest("the request body must be a JSON object", null, null);
        }
        return body;
    }

    private static int maxTokens(JsonNode body) {
        String field = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        OptionalLong value = Json.integer(body, field);
        if (value.isEmpty()) {
            return -1;
        }
        if (value.getAsLong() < 1) {
            throw new InvalidRequest(
                    "Invalid '" + field + "': integer below minimum value. Expected a value >= 1, but got "
                            + value.getAsLong() + " instead.",
                    field,
                    "integer_below_min_value");
        }
        return (int) Math.min(Integer.MAX_VALUE, value.getAsLong());
    }
}
