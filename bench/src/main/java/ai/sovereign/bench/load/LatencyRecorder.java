package ai.sovereign.bench.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies from many threads without locks (HdrHistogram, 3 significant digits, up to 10 minutes) and
 * summarises them in milliseconds.
 */
public final class LatencyRecorder {

    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Recorder recorder = new Recorder(MAX_NANOS, 3);
    private final Histogram total = new Histogram(MAX_NANOS, 3);

    /** Records one latency; values beyond the range are clamped to it. */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(nanos, MAX_NANOS)));
    }

    /** Everything recorded so far, summarised. */
    public synchronized LatencySummary summary() {
        total.add(recorder.getIntervalHistogram());
        return new LatencySummary(
                total.getTotalCount(),
                millis(total.getMean()),
                millis((double) total.getValueAtPercentile(50)),
                millis((double) total.getValueAtPercentile(95)),
                millis((double) total.getValueAtPercentile(99)),
                millis((double) total.getMaxValue()));
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
