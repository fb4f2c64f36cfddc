package ai.sovereign.simulator.ollama;

import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Ollama's error body: {@code {"error":"message"}}. */
final class OllamaErrors {

    private OllamaErrors() {}

    static void send(HttpExchange exchange, HttpResponseStatus status, String message) {
        exchange.sendJson(status, Json.object().put("error", message));
    }

    /** The exact 404 Ollama gives for a model it does not have. */
    static void modelNotFound(HttpExchange exchange, String model) {
        send(exchange, HttpResponseStatus.NOT_FOUND, "model \"" + model + "\" not found, try pulling it first");
    }

    static void badRequest(HttpExchange exchange, String message) {
        send(exchange, HttpResponseStatus.BAD_REQUEST, message);
    }
}
