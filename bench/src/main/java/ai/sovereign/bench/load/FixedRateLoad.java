package ai.sovereign.bench.load;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests are started on a fixed schedule whether or not earlier ones have finished, and each
 * latency is measured from the moment the schedule said it should start, so a stalled server shows up in the
 * figures instead of silently slowing the generator down (no coordinated omission). Bounded in count, in time and
 * in requests outstanding.
 */
public final class FixedRateLoad {

    private final String name;
    private final double ratePerSecond;
    private final long requests;
    private final Duration timeLimit;
    private final int maxOutstanding;

    public FixedRateLoad(String name, double ratePerSecond, long requests, Duration timeLimit, int maxOutstanding) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0 requests/s (got " + ratePerSecond + ")");
        }
        if (requests < 1 || maxOutstanding < 1) {
            throw new IllegalArgumentException("requests and maxOutstanding must be >= 1");
        }
        this.name = name;
        this.ratePerSecond = ratePerSecond;
        this.requests = requests;
        this.timeLimit = timeLimit;
        this.maxOutstanding = maxOutstanding;
    }

    public LoadResult run(RequestCall call) throws InterruptedException {
        LatencyRecorder latencies = new LatencyRecorder();
        AtomicLong failures = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        Semaphore outstanding = new Semaphore(maxOutstanding);
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < requests; i++) {
                long intended = start + i * intervalNanos;
                if (intended > deadline) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!outstanding.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                long sequence = i;
                workers.execute(() -> {
                    try {
                        if (call.call(sequence) != Outcome.SUCCESS) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    } finally {
                        latencies.recordNanos(System.nanoTime() - intended);
                        completed.incrementAndGet();
                        outstanding.release();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(name, completed.get(), failures.get(), seconds, latencies.summary());
    }
}
