package ai.sovereign.ingestion.chunk;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code ingestion.chunking.max-tokens} (default 512) and {@code ingestion.chunking.overlap-tokens} (default 64). */
@ConfigurationProperties("ingestion.chunking")
public record ChunkingSettings(
        @Bindable(defaultValue = "512") int maxTokens,
        @Bindable(defaultValue = "64") int overlapTokens) {

    public ChunkingSettings {
        if (maxTokens < 16) {
            throw new IllegalArgumentException("ingestion.chunking.max-tokens must be >= 16 (got " + maxTokens + ")");
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException(
                    "ingestion.chunking.overlap-tokens must be >= 0 and < max-tokens / 2 (got " + overlapTokens
                            + " with max-tokens " + maxTokens + ")");
        }
    }
}
