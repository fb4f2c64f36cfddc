package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiErrors {

    private OpenAiErrors() {}

    static void send(
            HttpExchange exchange, HttpResponseStatus status, String message, String type, String param, String code) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        exchange.sendJson(status, body);
    }

    /** Errors raised by a simulated failure mode, with the type OpenAI uses for its own outages. */
    static void serverError(HttpExchange exchange, HttpResponseStatus status, String message) {
        String code = status.code() == 503 ? "service_unavailable" : null;
        send(exchange, status, message, "server_error", null, code);
    }

    static void invalid(HttpExchange exchange, InvalidRequest e) {
        send(exchange, HttpResponseStatus.BAD_REQUEST, e.getMessage(), "invalid_request_error", e.param(), e.code());
    }

    static void modelNotFound(HttpExchange exchange, String model) {
        send(
                exchange,
                HttpResponseStatus.NOT_FOUND,
                "The model `" + model + "` does not exist or you do not have access to it.",
                "invalid_request_error",
                null,
                "model_not_found");
    }

    /** A client error in an OpenAI request, mapped to a 400 naming the offending parameter. */
    static final class InvalidRequest extends RuntimeException {

        private final String param;
        private final String code;

        InvalidRequest(String message, String param, String code) {
            super(message);
            this.param = param;
            this.code = code;
        }

        String param() {
            return param;
        }

        String code() {
            return code;
        }
    }
}
