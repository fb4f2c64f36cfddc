package ai.sovereign.bench.load;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load for saturation throughput: {@code concurrency} workers each send the next request as soon as the
 * previous one finished, until {@code requests} were sent or the time limit passed.
 */
public final class ConcurrentLoad {

    private final String name;
    private final int concurrency;
    private final long requests;
    private final Duration timeLimit;

    public ConcurrentLoad(String name, int concurrency, long requests, Duration timeLimit) {
        if (concurrency < 1 || requests < 1) {
            throw new IllegalArgumentException("concurrency and requests must be >= 1");
        }
        this.name = name;
        this.concurrency = concurrency;
        this.requests = requests;
        this.timeLimit = timeLimit;
    }

    public LoadResult run(RequestCall call) {
        LatencyRecorder latencies = new LatencyRecorder();
        AtomicLong next = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.execute(() -> {
                    long sequence;
                    while ((sequence = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                        long begin = System.nanoTime();
                        try {
                            if (call.call(sequence) != Outcome.SUCCESS) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        latencies.recordNanos(System.nanoTime() - begin);
                        completed.incrementAndGet();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(name, completed.get(), failures.get(), seconds, latencies.summary());
    }
}
