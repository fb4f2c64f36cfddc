package ai.sovereign.ingestion.pipeline;

import ai.sovereign.ingestion.source.SourceRepository;
import ai.sovereign.ingestion.source.SourceStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intermediate statuses of documents in flight ({@code chunking}, {@code embedding}, {@code storing}), written
 * behind the pipeline: one thread writes whatever is pending, the latest status per source, in one statement, then
 * rests {@link #INTERVAL_MS}. A status shows up to that much later; final statuses ({@code ready}, {@code failed}) are
 * written by the pipeline itself, synchronously, and a late intermediate one never overwrites them (the update skips
 * final rows). At a thousand documents a minute this is one statement every few dozen documents instead of three per
 * document.
 */
final class StatusTrail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTrail.class);
    static final long INTERVAL_MS = 20;

    private final SourceRepository sources;
    private final Map<UUID, SourceStatus> pending = new LinkedHashMap<>();
    private final Thread writer;
    private volatile boolean running = true;

    StatusTrail(SourceRepository sources) {
        this.sources = sources;
        this.writer =
                Thread.ofPlatform().name("ingestion-status-writer").daemon().start(this::run);
    }

    /** Records that the source reached {@code status}; written shortly. */
    void advance(UUID id, SourceStatus status) {
        synchronized (pending) {
            pending.put(id, status);
            pending.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                synchronized (pending) {
                    while (pending.isEmpty() && running) {
                        pending.wait();
                    }
                }
                flush();
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void flush() {
        Map<UUID, SourceStatus> batch;
        synchronized (pending) {
            batch = new LinkedHashMap<>(pending);
            pending.clear();
        }
        try {
            sources.advanceAll(batch);
        } catch (RuntimeException e) {
            // informational statuses only: the document goes on, its final status is written anyway
            LOG.warn("could not record the status of {} sources in flight: {}", batch.size(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
