package ai.sovereign.ingestion.pipeline;

import ai.sovereign.ingestion.source.SourceRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The runbook's ingestion metrics: {@code ingestion_duration_seconds{stage}}, {@code ingestion_failures_total{reason}},
 * {@code ingestion_documents_total{outcome}}, {@code chunks_created_total}, {@code embedding_batch_seconds},
 * {@code search_duration_seconds{mode}}, {@code ingestion_queue_depth}.
 */
@Singleton
public class IngestionMetrics {

    private final MeterRegistry registry;
    private final Counter chunksCreated;
    private final Timer embeddingBatch;
    private final DistributionSummary embeddingBatchTexts;
    private final DistributionSummary embeddingBatchDocuments;
    private final DistributionSummary storeGroupSources;
    private final Timer storeGroupTime;

    public IngestionMetrics(MeterRegistry registry, SourceRepository sources) {
        this.registry = registry;
        this.chunksCreated = Counter.builder("chunks_created")
                .description("Chunks written to the stores")
                .register(registry);
        this.embeddingBatch = Timer.builder("embedding_batch")
                .description("Time to embed one batch of chunks")
                .publishPercentileHistogram()
                .register(registry);
        this.embeddingBatchTexts = DistributionSummary.builder("embedding_batch_texts")
                .description("Chunks per model call of the pipeline's batcher")
                .register(registry);
        this.embeddingBatchDocuments = DistributionSummary.builder("embedding_batch_documents")
                .description("Documents whose chunks shared one model call")
                .register(registry);
        this.storeGroupSources = DistributionSummary.builder("ingestion_store_group_sources")
                .description("Sources written in one group commit (one Neo4j transaction, one vector commit)")
                .register(registry);
        this.storeGroupTime = Timer.builder("ingestion_store_group")
                .description("Time of one group commit to Neo4j and the vector store")
                .register(registry);
        Gauge.builder("ingestion_queue_depth", sources, s -> {
                    try {
                        return s.inFlight();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("Sources accepted but not yet ready or failed")
                .register(registry);
    }

    public void stage(String stage, Duration duration) {
        Timer.builder("ingestion_duration")
                .description("Time spent per pipeline stage; stage=total for a whole document")
                .tag("stage", stage)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    public void failed(String reason) {
        Counter.builder("ingestion_failures")
                .description("Sources that failed, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
        document("failed");
    }

    public void ready(int chunks) {
        chunksCreated.increment(chunks);
        document("ready");
    }

    private void document(String outcome) {
        Counter.builder("ingestion_documents")
                .description("Documents through the pipeline, by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public void embeddingBatch(Duration duration) {
        embeddingBatch.record(duration);
    }

    /** One model call of the pipeline's batcher: its time, and how many chunks of how many documents it carried. */
    public void embeddingBatch(ai.sovereign.ingestion.embed.EmbeddingBatcher.BatchStats batch) {
        embeddingBatch.record(batch.duration());
        embeddingBatchTexts.record(batch.texts());
        embeddingBatchDocuments.record(batch.documents());
    }

    /** One group commit of the store writer: sources in it and its time. */
    public void storeGroup(int sourcesInGroup, Duration duration) {
        storeGroupSources.record(sourcesInGroup);
        storeGroupTime.record(duration);
    }

    public void search(String mode, Duration duration) {
        Timer.builder("search_duration")
                .description("Search latency by mode")
                .tag("mode", mode)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }

    public void skippedJob(String why) {
        Counter.builder("ingestion_jobs_skipped")
                .description("Jobs that changed nothing (re-delivered, deleted source, malformed)")
                .tag("why", why)
                .register(registry)
                .increment();
    }
}
