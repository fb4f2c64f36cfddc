package ai.sovereign.ingestion.pipeline;

import ai.sovereign.events.IngestionJob;
import ai.sovereign.ingestion.chunk.Chunk;
import ai.sovereign.ingestion.chunk.Chunker;
import ai.sovereign.ingestion.embed.Embedder;
import ai.sovereign.ingestion.embed.EmbeddingBatcher;
import ai.sovereign.ingestion.embed.EmbeddingSettings;
import ai.sovereign.ingestion.entity.Entity;
import ai.sovereign.ingestion.entity.EntityExtractor;
import ai.sovereign.ingestion.graph.GraphChunk;
import ai.sovereign.ingestion.graph.KnowledgeGraph;
import ai.sovereign.ingestion.parse.DocumentParser;
import ai.sovereign.ingestion.parse.ParsedDocument;
import ai.sovereign.ingestion.parse.PoisonInputException;
import ai.sovereign.ingestion.source.RawStore;
import ai.sovereign.ingestion.source.Source;
import ai.sovereign.ingestion.source.SourceRepository;
import ai.sovereign.ingestion.source.SourceStatus;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job, start to end: parse → chunk → embed → vectors + graph → ready. A job whose source is already final, or
 * gone, changes nothing; chunk ids are derived from the source id and position, so a job re-run after a crash
 * overwrites rather than duplicates. Poison input fails only its own source, with the reason.
 * <p>
 * Throughput: many jobs run at once (the worker's concurrency); parsing is bounded by
 * {@code ingestion.worker.parse-concurrency}; the chunks of all jobs in flight share the model's batches
 * ({@link EmbeddingBatcher}) and their writes are group-committed ({@link GroupCommitWriter}: one Neo4j transaction
 * and one vector commit for every document that is ready to be stored). Failures stay per document.
 */
@Singleton
public class IngestionPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionPipeline.class);

    private final SourceRepository sources;
    private final RawStore raw;
    private final DocumentParser parser;
    private final Chunker chunker;
    private final EntityExtractor extractor;
    private final VectorStore vectors;
    private final KnowledgeGraph graph;
    private final IngestionMetrics metrics;
    private final EmbeddingBatcher batcher;
    private final GroupCommitWriter writer;
    private final Semaphore parsing;
    private final StatusTrail statuses;

    static final int MAX_SOURCES_PER_GROUP = 64;

    public IngestionPipeline(
            SourceRepository sources,
            DocumentParser parser,
            Chunker chunker,
            Embedder embedder,
            EntityExtractor extractor,
            VectorStore vectors,
            KnowledgeGraph graph,
            IngestionMetrics metrics,
            EmbeddingSettings embedding,
            WorkerSettings worker,
            RawStore raw) {
        this.sources = sources;
        this.raw = raw;
        this.parser = parser;
        this.chunker = chunker;
        this.extractor = extractor;
        this.vectors = vectors;
        this.graph = graph;
        this.metrics = metrics;
        this.batcher =
                new EmbeddingBatcher(embedder, embedding.batchSize(), embedding.maxWait(), metrics::embeddingBatch);
        this.writer = new GroupCommitWriter(graph, vectors, MAX_SOURCES_PER_GROUP, metrics);
        this.parsing = new Semaphore(worker.effectiveParseConcurrency());
        this.statuses = new StatusTrail(sources);
    }

    @PreDestroy
    void stop() {
        batcher.close();
        writer.close();
        statuses.close();
    }

    public void handle(IngestionJob job) {
        UUID id = UUID.fromString(job.sourceId());
        switch (job.action()) {
            case INGEST -> ingest(job, id);
            case DELETE -> removeStored(job.tenant(), job.sourceId(), job.storagePath());
        }
    }

    private void ingest(IngestionJob job, UUID id) {
        Optional<Source> claimed = sources.claim(job.tenant(), id);
        if (claimed.isEmpty()) {
            metrics.skippedJob(sources.find(job.tenant(), id).isEmpty() ? "source_gone" : "already_final");
            return;
        }
        Source source = claimed.get();
        long started = System.nanoTime();
        try {
            long t = System.nanoTime();
            ParsedDocument document;
            parsing.acquireUninterruptibly();
            try {
                document = parser.parse(readRaw(source), source.name());
            } finally {
                parsing.release();
            }
            metrics.stage("parse", since(t));

            statuses.advance(id, SourceStatus.CHUNKING);
            t = System.nanoTime();
            List<Chunk> chunks = chunker.chunk(document.text());
            metrics.stage("chunk", since(t));

            statuses.advance(id, SourceStatus.EMBEDDING);
            t = System.nanoTime();
            List<float[]> embeddings =
                    batcher.embed(chunks.stream().map(Chunk::text).toList());
            metrics.stage("embed", since(t));

            statuses.advance(id, SourceStatus.STORING);
            t = System.nanoTime();
            int entities = store(source, chunks, embeddings);
            metrics.stage("store", since(t));

            SourceRepository.ReadyOutcome outcome =
                    sources.markReady(id, source.tenant(), source.name(), chunks.size(), entities);
            if (!outcome.becameReady()) {
                // deleted while we worked: take back what we wrote
                removeStored(source.tenant(), source.id().toString(), null);
                metrics.skippedJob("deleted_during_ingest");
                return;
            }
            for (Source replaced : outcome.replaced()) {
                removeStored(replaced.tenant(), replaced.id().toString(), replaced.storagePath());
            }
            metrics.ready(chunks.size());
            metrics.stage("total", since(started));
        } catch (PoisonInputException e) {
            LOG.info("source {} ({}) failed: {}", id, source.name(), e.getMessage());
            sources.fail(id, e.getMessage());
            metrics.failed(e.reasonCode());
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // shutting down: leave the source as it is; the job's offset is not committed, so it comes back
                LOG.info("source {} ({}) left unfinished at shutdown; its job will be re-delivered", id, source.name());
                return;
            }
            LOG.warn("source {} ({}) failed in the pipeline", id, source.name(), e);
            sources.fail(id, "internal error: " + e.getMessage());
            metrics.failed("internal");
        }
    }

    private byte[] readRaw(Source source) {
        try {
            return raw.read(source.storagePath());
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonInputException(
                    "raw_missing", "the uploaded bytes are no longer at " + source.storagePath(), e);
        }
    }

    private int store(Source source, List<Chunk> chunks, List<float[]> embeddings) {
        String sourceId = source.id().toString();
        List<VectorRecord> records = new ArrayList<>(chunks.size());
        List<GraphChunk> graphChunks = new ArrayList<>(chunks.size());
        Set<String> entityKeys = new HashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            String chunkId = chunkId(sourceId, chunk.position());
            records.add(new VectorRecord(chunkId, source.tenant(), sourceId, chunk.position(), embeddings.get(i)));
            List<Entity> entities = extractEntities(source.tenant(), chunk.text());
            entities.forEach(e -> entityKeys.add(e.key()));
            graphChunks.add(new GraphChunk(chunkId, chunk.position(), chunk.text(), chunk.tokens(), entities));
        }
        writer.write(new KnowledgeGraph.SourceGraph(source.tenant(), sourceId, source.name(), graphChunks), records);
        return entityKeys.size();
    }

    private List<Entity> extractEntities(String tenant, String text) {
        try {
            return extractor.extract(tenant, text);
        } catch (RuntimeException e) {
            LOG.warn("entity extraction failed for a chunk; skipped", e);
            metrics.skippedJob("entity_extraction_failed");
            return List.of();
        }
    }

    /** Vectors, graph and raw bytes of a source; each step is a no-op when there is nothing left. */
    public void removeStored(String tenant, String sourceId, String storagePath) {
        vectors.deleteSource(tenant, sourceId);
        graph.deleteSource(tenant, sourceId);
        if (storagePath != null) {
            try {
                raw.delete(storagePath);
            } catch (IllegalArgumentException e) {
                LOG.warn("refused to delete raw bytes of source {}: {}", sourceId, e.getMessage());
                metrics.skippedJob("raw_path_outside_store");
            } catch (java.io.UncheckedIOException e) {
                LOG.warn("could not delete raw bytes at {}", storagePath, e);
            }
        }
    }

    /** Deterministic chunk id: a name-based UUID of source id and position. */
    public static String chunkId(String sourceId, int position) {
        return UUID.nameUUIDFromBytes((sourceId + "#" + position).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
