package ai.sovereign.router.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The API an inference server speaks; picks the backend adapter. */
public enum ServerType {
    /** Ollama's native API: /api/chat, /api/generate, /api/embed, /api/tags, /api/ps. */
    OLLAMA,
    /** Any OpenAI-compatible server: vLLM, llama.cpp server, TGI, Ollama's /v1. */
    OPENAI;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code ollama} or {@code openai}, any case; empty for anything else. */
    public static Optional<ServerType> parse(String value) {
        return Arrays.stream(values())
                .filter(t -> t.wireName().equalsIgnoreCase(value.trim()))
                .findFirst();
    }
}
