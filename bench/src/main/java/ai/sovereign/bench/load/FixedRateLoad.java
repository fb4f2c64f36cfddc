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
    private java.util.Queue<long[]> slow;
    private long slowNanos;

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

    /**
     * Keeps the requests that took at least {@code threshold} in {@code into}, as {wall-clock millis at the end, latency
     * in µs}: to see when a tail happens (diagnostics).
     */
    public FixedRateLoad slowRequestsInto(java.util.Queue<long[]> into, Duration threshold) {
        this.slow = into;
        this.slowNanos = threshold.toNanos();
        return this;
    }

    /** Runs the load, each request on a virtual thread of its own. */
    public LoadResult run(RequestCall call) throws InterruptedException {
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            return run(call, workers);
        }
    }

    /**
     * Runs the load, each request on a thread of {@code workers} (left open): a cached pool of platform threads hands
     * each request to an idle thread with one wake-up, and a blocking socket read on such a thread is woken by the
     * kernel directly (a virtual thread's goes through the JDK's poller and a carrier thread).
     */
    public LoadResult run(RequestCall call, ExecutorService workers) throws InterruptedException {
        return run(call, workers, new LatencyRecorder());
    }

    /**
     * As {@link #run(RequestCall, ExecutorService)}, recording into {@code latencies}, which may hold earlier rounds' (the
     * result's latency summary is then of all of them; its counts are this run's).
     */
    public LoadResult run(RequestCall call, ExecutorService workers, LatencyRecorder latencies)
            throws InterruptedException {
        AtomicLong failures = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        Semaphore outstanding = new Semaphore(maxOutstanding);
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        try {
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
                        long latency = System.nanoTime() - intended;
                        latencies.recordNanos(latency);
                        if (slow != null && latency >= slowNanos) {
                            slow.add(new long[] {System.currentTimeMillis(), latency / 1000});
                        }
                        completed.incrementAndGet();
                        outstanding.release();
                    }
                });
            }
        } finally {
            outstanding.acquire(maxOutstanding); // every request started has ended
            outstanding.release(maxOutstanding);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(name, completed.get(), failures.get(), seconds, latencies.summary());
    }
}
