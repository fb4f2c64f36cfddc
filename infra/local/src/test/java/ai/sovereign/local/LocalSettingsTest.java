package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalSettingsTest {

    @Test
    void withoutInferenceUrlsThePlatformSimulatesItsGpuHosts() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of());
        assertTrue(settings.simulatedHosts());
        assertEquals(5432, settings.postgresPort());
    }

    @Test
    void ollamaAndOpenAiUrlsReplaceTheSimulatedHosts() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of(
                "SOVEREIGN_OLLAMA_URLS", "http://gpu-1:11434/, http://gpu-2:11434",
                "SOVEREIGN_OPENAI_URLS", "https://vllm.internal:8000"));
        assertEquals(
                List.of(
                        new InferenceServer("ollama-1", "http://gpu-1:11434", "ollama", 4),
                        new InferenceServer("ollama-2", "http://gpu-2:11434", "ollama", 4),
                        new InferenceServer("openai-1", "https://vllm.internal:8000", "openai", 4)),
                settings.externalServers());
        assertTrue(!settings.simulatedHosts());
    }

    @Test
    void aMalformedInferenceUrlIsRefusedNamingTheVariableAndTheValue() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("SOVEREIGN_OLLAMA_URLS", "gpu-1:11434")));
        assertEquals(
                "SOVEREIGN_OLLAMA_URLS must be a comma-separated list of http(s) base URLs (got 'gpu-1:11434')",
                error.getMessage());
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingTheVariable() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("SOVEREIGN_KAFKA_PORT", "70000")));
        assertEquals("SOVEREIGN_KAFKA_PORT must be between 0 and 65535 (got 70000)", error.getMessage());
    }
}
