package ai.sovereign.ingestion.pipeline;

import ai.sovereign.ingestion.graph.KnowledgeGraph;
import ai.sovereign.ingestion.graph.KnowledgeGraph.SourceGraph;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the pipeline's writes: documents in flight hand over their graph and vectors and wait; one writer
 * thread takes whatever has queued (up to {@code maxSources}; when several were waiting, it gives the group up to
 * {@link #LINGER_NANOS} to fill) and writes it as one Neo4j transaction and one vector
 * commit, side by side. A document returns when its data is durable and searchable, as before. When a group fails, each document is
 * written alone, so a bad one fails alone. Writes are idempotent (MERGE, upsert by chunk id), so the retry is safe.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final KnowledgeGraph graph;
    private final VectorStore vectors;
    private final int maxSources;
    private final IngestionMetrics metrics;
    /** How long a group that is filling may wait for more documents. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final java.util.concurrent.ExecutorService sideWriter =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name("ingestion-vector-writer").daemon().factory());
    private volatile boolean running = true;

    /** One document's stores content. */
    record Write(SourceGraph graph, List<VectorRecord> vectors, CompletableFuture<Void> done) {
        Write(SourceGraph graph, List<VectorRecord> vectors) {
            this(graph, vectors, new CompletableFuture<>());
        }
    }

    GroupCommitWriter(KnowledgeGraph graph, VectorStore vectors, int maxSources, IngestionMetrics metrics) {
        this.graph = graph;
        this.vectors = vectors;
        this.maxSources = maxSources;
        this.metrics = metrics;
        this.writer =
                Thread.ofPlatform().name("ingestion-store-writer").daemon().start(this::run);
    }

    /** Writes the document's graph and vectors; returns when they are durable and searchable. */
    void write(SourceGraph sourceGraph, List<VectorRecord> records) {
        if (!running) {
            throw new IllegalStateException("the store writer is stopped");
        }
        Write write = new Write(sourceGraph, records);
        queue.add(write);
        try {
            write.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the store", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void run() {
        while (running) {
            List<Write> group = new ArrayList<>();
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(group, maxSources - 1);
            if (group.size() > 1 && group.size() < maxSources) {
                // more documents are on their way (several were waiting): let the group fill a little longer, so
                // commits are fewer and larger (each commit pays a Neo4j transaction, a full-text refresh, a Lucene
                // segment and its merges, whatever its size); a lone document is written at once
                try {
                    long deadline = System.nanoTime() + LINGER_NANOS;
                    for (long left = LINGER_NANOS;
                            group.size() < maxSources && left > 0;
                            left = deadline - System.nanoTime()) {
                        Write more = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (more == null) {
                            break;
                        }
                        group.add(more);
                        queue.drainTo(group, maxSources - group.size());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    writeGroup(group);
                    break;
                }
            }
            writeGroup(group);
        }
        IllegalStateException stopped = new IllegalStateException("the store writer is stopped");
        for (Write left = queue.poll(); left != null; left = queue.poll()) {
            left.done.completeExceptionally(stopped);
        }
    }

    private void writeGroup(List<Write> group) {
        long t = System.nanoTime();
        try {
            writeBoth(group);
            metrics.storeGroup(group.size(), Duration.ofNanos(System.nanoTime() - t));
            group.forEach(w -> w.done.complete(null));
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                group.getFirst().done.completeExceptionally(groupFailure);
                return;
            }
            LOG.warn(
                    "group write of {} sources failed ({}); writing each alone",
                    group.size(),
                    groupFailure.getMessage());
            for (Write write : group) {
                try {
                    writeBoth(List.of(write));
                    write.done.complete(null);
                } catch (RuntimeException e) {
                    write.done.completeExceptionally(e);
                }
            }
        }
    }

    /** The graph transaction and the vector commit are independent: they run side by side (each waits on its disk). */
    private void writeBoth(List<Write> group) {
        CompletableFuture<Void> vectorWrite = CompletableFuture.runAsync(
                () -> vectors.upsert(
                        group.stream().flatMap(w -> w.vectors().stream()).toList()),
                sideWriter);
        RuntimeException failure = null;
        try {
            graph.writeSources(group.stream().map(Write::graph).toList());
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            vectorWrite.join();
        } catch (java.util.concurrent.CompletionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
            if (failure == null) {
                failure = cause;
            } else {
                failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        sideWriter.shutdownNow();
        running = false;
        writer.interrupt();
    }
}
