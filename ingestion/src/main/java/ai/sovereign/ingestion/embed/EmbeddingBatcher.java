package ai.sovereign.ingestion.embed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fills the model's batches with chunks of several documents in flight: callers (one per document) hand over their
 * texts and wait; one dispatcher thread takes texts in arrival order into batches of {@code batchSize}, waiting at most
 * {@code maxWait} for more when a batch is not full and nothing else is queued (while the model runs, requests queue up
 * anyway). A document with more texts than a batch spans several batches. When a batch fails, each document's part
 * is retried alone, so one bad document fails alone.
 */
public final class EmbeddingBatcher implements AutoCloseable {

    private final Embedder embedder;
    private final int batchSize;
    private final long maxWaitNanos;
    private final Consumer<BatchStats> observer;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean running = true;

    /** What one model call did: texts, how many documents they came from, how long it took. */
    public record BatchStats(int texts, int documents, Duration duration) {}

    public EmbeddingBatcher(Embedder embedder, int batchSize, Duration maxWait, Consumer<BatchStats> observer) {
        this.embedder = embedder;
        this.batchSize = batchSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.observer = observer;
        this.dispatcher = Thread.ofPlatform().name("embedding-batcher").daemon().start(this::run);
    }

    /** One vector per text, in order; blocks until all are embedded. */
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        if (!running) {
            throw new IllegalStateException("the embedding batcher is stopped");
        }
        Request request = new Request(texts);
        queue.add(request);
        try {
            return request.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embeddings", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** A document's texts and how far the dispatcher got with them. */
    private static final class Request {
        final List<String> texts;
        final float[][] vectors;
        final CompletableFuture<List<float[]>> result = new CompletableFuture<>();
        int taken;
        int done;

        Request(List<String> texts) {
            this.texts = texts;
            this.vectors = new float[texts.size()][];
        }
    }

    /** A contiguous part of one request inside a batch. */
    private record Slice(Request request, int from, int to) {}

    private void run() {
        Request carried = null;
        while (running) {
            try {
                List<Slice> slices = new ArrayList<>();
                int size = 0;
                Request next = carried != null ? carried : queue.take();
                carried = null;
                long deadline = System.nanoTime() + maxWaitNanos;
                while (next != null) {
                    int n = Math.min(batchSize - size, next.texts.size() - next.taken);
                    slices.add(new Slice(next, next.taken, next.taken + n));
                    next.taken += n;
                    size += n;
                    if (next.taken < next.texts.size()) {
                        carried = next;
                        break;
                    }
                    if (size == batchSize) {
                        break;
                    }
                    next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    }
                }
                embedBatch(slices, size);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // embedBatch completes every request; nothing else throws
            }
        }
        IllegalStateException stopped = new IllegalStateException("the embedding batcher is stopped");
        if (carried != null) {
            carried.result.completeExceptionally(stopped);
        }
        for (Request left = queue.poll(); left != null; left = queue.poll()) {
            left.result.completeExceptionally(stopped);
        }
    }

    private void embedBatch(List<Slice> slices, int size) {
        List<String> texts = new ArrayList<>(size);
        for (Slice slice : slices) {
            texts.addAll(slice.request.texts.subList(slice.from, slice.to));
        }
        long t = System.nanoTime();
        List<float[]> vectors;
        try {
            vectors = embedder.embed(texts);
        } catch (RuntimeException batchFailure) {
            for (Slice slice : slices) {
                embedAlone(slice);
            }
            return;
        }
        observer.accept(new BatchStats(size, slices.size(), Duration.ofNanos(System.nanoTime() - t)));
        int offset = 0;
        for (Slice slice : slices) {
            deliver(slice, vectors.subList(offset, offset + slice.to - slice.from));
            offset += slice.to - slice.from;
        }
    }

    private void embedAlone(Slice slice) {
        if (slice.request.result.isDone()) {
            return;
        }
        try {
            long t = System.nanoTime();
            List<float[]> vectors = embedder.embed(slice.request.texts.subList(slice.from, slice.to));
            observer.accept(new BatchStats(slice.to - slice.from, 1, Duration.ofNanos(System.nanoTime() - t)));
            deliver(slice, vectors);
        } catch (RuntimeException e) {
            slice.request.result.completeExceptionally(e);
        }
    }

    private static void deliver(Slice slice, List<float[]> vectors) {
        Request request = slice.request;
        if (request.result.isDone()) {
            return;
        }
        for (int i = 0; i < vectors.size(); i++) {
            request.vectors[slice.from + i] = vectors.get(i);
        }
        request.done += vectors.size();
        if (request.done == request.texts.size()) {
            request.result.complete(List.of(request.vectors));
        }
    }

    /** Requests waiting for the dispatcher (tests). */
    int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
    }
}
