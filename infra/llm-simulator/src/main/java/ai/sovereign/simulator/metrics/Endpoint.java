package ai.sovereign.simulator.metrics;

/** Every route the simulator serves, for per-endpoint request counters. */
public enum Endpoint {
    ROOT("/"),
    HEALTH("/health"),
    METRICS("/metrics"),
    OLLAMA_TAGS("/api/tags"),
    OLLAMA_PS("/api/ps"),
    OLLAMA_CHAT("/api/chat"),
    OLLAMA_GENERATE("/api/generate"),
    OLLAMA_EMBED("/api/embed"),
    OLLAMA_EMBEDDINGS("/api/embeddings"),
    OLLAMA_SHOW("/api/show"),
    OLLAMA_PULL("/api/pull"),
    OLLAMA_DELETE("/api/delete"),
    OLLAMA_VERSION("/api/version"),
    OPENAI_MODELS("/v1/models"),
    OPENAI_CHAT("/v1/chat/completions"),
    OPENAI_COMPLETIONS("/v1/completions"),
    OPENAI_EMBEDDINGS("/v1/embeddings"),
    CONTROL("/sim");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
