package ai.sovereign.simulator.http;

/** Handles one request on the event loop; must not block. */
@FunctionalInterface
public interface Route {
    void handle(HttpExchange exchange);
}
