package ai.sovereign.router.forward;

import ai.sovereign.router.config.ServerType;
import ai.sovereign.router.forward.ollama.OllamaAdapter;
import ai.sovereign.router.forward.openai.OpenAiAdapter;
import jakarta.inject.Singleton;

/** The adapter for each server type. */
@Singleton
public class BackendAdapters {

    private final OpenAiAdapter openAi;
    private final OllamaAdapter ollama;

    public BackendAdapters(OpenAiAdapter openAi, OllamaAdapter ollama) {
        this.openAi = openAi;
        this.ollama = ollama;
    }

    public BackendAdapter of(ServerType type) {
        return switch (type) {
            case OPENAI -> openAi;
            case OLLAMA -> ollama;
        };
    }
}
