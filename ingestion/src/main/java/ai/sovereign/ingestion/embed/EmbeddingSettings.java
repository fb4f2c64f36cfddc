package ai.sovereign.ingestion.embed;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code ingestion.embedding.provider}: {@code onnx} (in-process all-MiniLM-L6-v2, the default) or {@code remote}
 * ({@code /v1/embeddings} at {@code ingestion.router.url}, model {@code ingestion.embedding.remote-model} with
 * {@code ingestion.embedding.remote-dimensions}, called with a service token ingestion mints like its other router
 * calls; {@code ingestion.embedding.remote-token}, when set, is also sent as {@code Authorization: Bearer}, for an
 * OpenAI-compatible endpoint in front of the router that wants a key); {@code ingestion.embedding.batch-size} texts per call;
 * {@code ingestion.embedding.max-wait} (default 10 ms): how long the pipeline's batcher waits for chunks of other
 * documents to fill a batch that is not full when the model is idle; {@code ingestion.embedding.onnx-threads} (default 0 =
 * the CPU cores): texts the in-process model embeds at once, each single-threaded inside ONNX Runtime.
 */
@ConfigurationProperties("ingestion.embedding")
public record EmbeddingSettings(
        @Bindable(defaultValue = "onnx") String provider,
        @Bindable(defaultValue = "32") int batchSize,
        @Bindable(defaultValue = "nomic-embed-text") String remoteModel,
        @Bindable(defaultValue = "768") int remoteDimensions,
        @Nullable String remoteToken,
        @Bindable(defaultValue = "10ms") Duration maxWait,
        @Bindable(defaultValue = "0") int onnxThreads) {

    public EmbeddingSettings {
        if (!provider.equals("onnx") && !provider.equals("remote")) {
            throw new IllegalArgumentException(
                    "ingestion.embedding.provider must be onnx or remote (got " + provider + ")");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException(
                    "ingestion.embedding.max-wait must not be negative (got " + maxWait + ")");
        }
        if (onnxThreads < 0) {
            throw new IllegalArgumentException(
                    "ingestion.embedding.onnx-threads must be >= 0 (got " + onnxThreads + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("ingestion.embedding.batch-size must be >= 1 (got " + batchSize + ")");
        }
    }

    /** Threads of the in-process model: the configured number, or the CPU cores when 0. */
    public int effectiveOnnxThreads() {
        return onnxThreads > 0 ? onnxThreads : Runtime.getRuntime().availableProcessors();
    }
}
