package ai.sovereign.ingestion.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import ai.sovereign.events.IngestionJob;
import ai.sovereign.ingestion.chunk.Chunk;
import ai.sovereign.ingestion.chunk.Chunker;
import ai.sovereign.ingestion.embed.Embedder;
import ai.sovereign.ingestion.embed.EmbeddingSettings;
import ai.sovereign.ingestion.entity.Entity;
import ai.sovereign.ingestion.entity.EntityExtractor;
import ai.sovereign.ingestion.graph.GraphChunk;
import ai.sovereign.ingestion.graph.KnowledgeGraph;
import ai.sovereign.ingestion.parse.DocumentParser;
import ai.sovereign.ingestion.parse.ParsedDocument;
import ai.sovereign.ingestion.parse.PoisonInputException;
import ai.sovereign.ingestion.source.Source;
import ai.sovereign.ingestion.source.SourceRepository;
import ai.sovereign.ingestion.source.SourceStatus;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job, start to end: parse → chunk → embed (in batches) → vectors + graph → ready. A job whose source is already
 * final, or gone, changes nothing; chunk ids are derived from the source id and position, so a job re-run after a
 * crash overwrites rather than duplicates. Poison input fails only its own source, with the reason.
 */
@Singleton
public class IngestionPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionPipeline.class);

    private final SourceRepository sources;
    private final DocumentParser parser;
    private final Chunker chunker;
    private final Embedder embedder;
    private final EntityExtractor extractor;
    private final VectorStore vectors;
    private final KnowledgeGraph graph;
    private final IngestionMetrics metrics;
    private final int batchSize;

    public IngestionPipeline(SourceRepository sources, DocumentParser parser, Chunker chunker, Embedder embedder,
                             EntityExtractor extractor, VectorStore vectors, KnowledgeGraph graph, IngestionMetrics metrics,
                             EmbeddingSettings embedding) {
        this.sources = sources;
        this.parser = parser;
        this.chunker = chunker;
        this.embedder = embedder;
        this.extractor = extractor;
        this.vectors = vectors;
        this.graph = graph;
        this.metrics = metrics;
        this.batchSize = embedding.batchSize();
    }

    public void handle(IngestionJob job) {
        UUID id = UUID.fromString(job.sourceId());
        switch (job.action()) {
            case INGEST -> ingest(job, id);
            case DELETE -> removeStored(job.tenant(), job.sourceId(), job.storagePath());
        }
    }

    private void ingest(IngestionJob job, UUID id) {
        Optional<Source> found = sources.find(job.tenant(), id);
        if (found.isEmpty()) {
            metrics.skippedJob("source_gone");
            return;
        }
        Source source = found.get();
        if (source.status().isFinal()) {
            metrics.skippedJob("already_final");
            return;
        }
        long started = System.nanoTime();
        try {
            sources.advance(id, SourceStatus.PARSING);
            long t = System.nanoTime();
            ParsedDocument document = parser.parse(readRaw(source), source.name());
            metrics.stage("parse", since(t));

            sources.advance(id, SourceStatus.CHUNKING);
            t = System.nanoTime();
            List<Chunk> chunks = chunker.chunk(document.text());
            metrics.stage("chunk", since(t));

            sources.advance(id, SourceStatus.EMBEDDING);
            t = System.nanoTime();
            List<float[]> embeddings = embed(chunks);
            metrics.stage("embed", since(t));

            sources.advance(id, SourceStatus.STORING);
            t = System.nanoTime();
            int entities = store(source, chunks, embeddings);
            metrics.stage("store", since(t));

            SourceRepository.ReadyOutcome outcome = sources.markReady(id, source.tenant(), source.name(), chunks.size(), entities);
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
            LOG.warn("source {} ({}) failed in the pipeline", id, source.name(), e);
            sources.fail(id, "internal error: " + e.getMessage());
            metrics.failed("internal");
        }
    }

    private byte[] readRaw(Source source) {
        try {
            return Files.readAllBytes(Path.of(source.storagePath()));
        } catch (IOException e) {
            throw new PoisonInputException("raw_missing", "the uploaded bytes are no longer at " + source.storagePath(), e);
        }
    }

    private List<float[]> embed(List<Chunk> chunks) {
        List<float[]> all = new ArrayList<>(chunks.size());
        for (int from = 0; from < chunks.size(); from += batchSize) {
            List<String> texts = chunks.subList(from, Math.min(chunks.size(), from + batchSize)).stream().map(Chunk::text).toList();
            long t = System.nanoTime();
            all.addAll(embedder.embed(texts));
            metrics.embeddingBatch(since(t));
        }
        return all;
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
            List<Entity> entities = extractEntities(chunk.text());
            entities.forEach(e -> entityKeys.add(e.key()));
            graphChunks.add(new GraphChunk(chunkId, chunk.position(), chunk.text(), chunk.tokens(), entities));
        }
        graph.writeSource(source.tenant(), sourceId, source.name(), graphChunks);
        vectors.upsert(records);
        return entityKeys.size();
    }

    private List<Entity> extractEntities(String text) {
        try {
            return extractor.extract(text);
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
                Files.deleteIfExists(Path.of(storagePath));
            } catch (IOException e) {
                LOG.warn("could not delete raw bytes at {}", storagePath, e);
            }
        }
    }

    /** Deterministic chunk id: a name-based UUID of source id and position. */
    public static String chunkId(String sourceId, int position) {
        return UUID.nameUUIDFromBytes((sourceId + "#" + position).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
