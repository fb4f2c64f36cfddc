package ai.sovereign.ingestion.embed.onnx;

import ai.sovereign.ingestion.chunk.TokenCounter;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Counts tokens with all-MiniLM-L6-v2's own WordPiece tokenizer (the tokenizer.json inside the model jar). */
public final class WordPieceTokenCounter implements TokenCounter {

    private final HuggingFaceTokenCountEstimator estimator;

    public WordPieceTokenCounter() {
        try (InputStream in = AllMiniLm.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the class path");
            }
            Path file = Files.createTempFile("all-minilm-l6-v2-tokenizer", ".json");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            this.estimator = new HuggingFaceTokenCountEstimator(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the all-MiniLM-L6-v2 tokenizer", e);
        }
    }

    @Override
    public int count(String text) {
        return text.isEmpty() ? 0 : estimator.estimateTokenCountInText(text);
    }

    /** Anchor for the model jar's resources. */
    private static final class AllMiniLm {}
}
