package ai.sovereign.ingestion.testsupport;

import ai.sovereign.ingestion.chunk.Chunk;
import ai.sovereign.ingestion.chunk.Chunker;
import ai.sovereign.ingestion.embed.Embedder;
import ai.sovereign.ingestion.embed.EmbeddingSettings;
import io.micronaut.context.ApplicationContext;
import java.util.List;

/**
 * For benchmarks and tests, not for the service: the chunker and the embedding model of a started ingestion service,
 * the very beans its pipeline uses, to run them alone beside the whole pipeline (the raw model's throughput on the
 * chunks the pipeline will produce). Exposes chunk texts, the configured embedding batch size, and the model's name,
 * dimensions and vectors; nothing of the service's own types.
 */
public final class PipelineStages {

    private final Chunker chunker;
    private final Embedder embedder;
    private final int batchSize;

    private PipelineStages(Chunker chunker, Embedder embedder, int batchSize) {
        this.chunker = chunker;
        this.embedder = embedder;
        this.batchSize = batchSize;
    }

    /** The stages of the ingestion service running in {@code context}. */
    public static PipelineStages of(ApplicationContext context) {
        return new PipelineStages(
                context.getBean(Chunker.class),
                context.getBean(Embedder.class),
                context.getBean(EmbeddingSettings.class).batchSize());
    }

    /** The texts of the chunks the pipeline cuts {@code document} into, in order. */
    public List<String> chunkTexts(String document) {
        return chunker.chunk(document).stream().map(Chunk::text).toList();
    }

    /** {@code ingestion.embedding.batch-size}: texts per call to the model in the pipeline. */
    public int embeddingBatchSize() {
        return batchSize;
    }

    /** The embedding model's name (the vector collection is named after it). */
    public String model() {
        return embedder.model();
    }

    public int dimensions() {
        return embedder.dimensions();
    }

    /** One unit-length vector per text, in order, from the service's own model instance. */
    public List<float[]> embed(List<String> texts) {
        return embedder.embed(texts);
    }
}
