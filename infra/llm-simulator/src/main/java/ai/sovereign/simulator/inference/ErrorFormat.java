package ai.sovereign.simulator.inference;

import ai.sovereign.simulator.http.HttpExchange;
import io.netty.handler.codec.http.HttpResponseStatus;

/** How a dialect writes an error body ({@code {"error":"..."}} for Ollama, an object for OpenAI). */
@FunctionalInterface
public interface ErrorFormat {
    void send(HttpExchange exchange, HttpResponseStatus status, String message);
}
