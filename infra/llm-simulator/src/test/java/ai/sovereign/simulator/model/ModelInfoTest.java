package ai.sovereign.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelInfoTest {

    @ParameterizedTest(name = "{0}: {1} {2} {3} dims={4}")
    @CsvSource({
        "llama3.1:8b,                 llama,      8.0B,  Q4_K_M, 384",
        "llama3.1:70b-instruct-q8_0,  llama,      70.0B, Q8_0,   384",
        "qwen2.5:0.5b,                qwen,       500M,  Q4_K_M, 384",
        "mistral,                     mistral,    7.2B,  Q4_K_M, 384",
        "nomic-embed-text,            nomic-bert, 137M,  F16,    768",
        "mxbai-embed-large:335m,      bert,       335M,  F16,    1024",
        "all-minilm:22m,              bert,       22M,   F16,    384",
        "library/phi3:3.8b,           phi,        3.8B,  Q4_K_M, 384"
    })
    void derivesOllamaFactsFromTheName(String name, String family, String size, String quant, int dims) {
        ModelInfo info = ModelInfo.of(name, 0);
        assertEquals(family, info.family());
        assertEquals(size, info.parameterSize());
        assertEquals(quant, info.quantization());
        assertEquals(dims, info.embeddingDimensions());
        assertEquals(64, info.digest().length());
    }
}
