package ai.sovereign.simulator.metrics;

/** How a request failed, as counted in {@code llm_simulator_failures_total{kind=...}}. */
public enum FailureKind {
    /** Answered with HTTP 500 because of the model's errorRate. */
    ERROR,
    /** Answered with HTTP 503 because the model is unavailable. */
    UNAVAILABLE,
    /** Connection reset mid-response. */
    RESET,
    /** Held without response headers until the client gave up. */
    HANG,
    /** The client closed the connection before the answer was complete. */
    CLIENT_ABORT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
