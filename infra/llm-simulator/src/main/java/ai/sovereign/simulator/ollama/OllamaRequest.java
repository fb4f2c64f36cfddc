package ai.sovereign.simulator.ollama;

import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.model.KeepAlive;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * The fields every Ollama inference request shares, read leniently: unknown fields are ignored,
 * and "name" is accepted for "model" as older clients send it.
 */
record OllamaRequest(
        JsonNode body,
        String model,
        boolean stream,
        Duration keepAlive,
        OptionalLong seed,
        int numPredict,
        List<String> stop) {

    /**
     * Parses the body, or answers 400 in Ollama's format and returns null.
     */
    static OllamaRequest parse(HttpExchange exchange) {
        try {
            JsonNode body = Json.parse(exchange.body());
            if (!body.isObject()) {
                OllamaErrors.badRequest(exchange, "request body must be a JSON object");
                return null;
            }
            String model = Json.string(body, "model", Json.string(body, "name", ""));
            if (model.isBlank()) {
                OllamaErrors.badRequest(exchange, "model is required");
                return null;
            }
            JsonNode options = body.path("options");
            // num_predict < 0 means "no limit" in Ollama (-1 infinite, -2 fill the context).
            int numPredict = (int) Math.max(
                    -1,
                    Math.min(
                            Integer.MAX_VALUE,
                            Json.integer(options, "num_predict").orElse(-1)));
            return new OllamaRequest(
                    body,
                    model,
                    Json.bool(body, "stream", true),
                    KeepAlive.parse(body.path("keep_alive")),
                    Json.integer(options, "seed"),
                    numPredict,
                    Json.strings(options, "stop"));
        } catch (Json.InvalidField | IllegalArgumentException e) {
            OllamaErrors.badRequest(exchange, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            if (Json.isMalformed(e)) {
                OllamaErrors.badRequest(
                        exchange,
                        "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
                return null;
            }
            throw e;
        }
    }
}
