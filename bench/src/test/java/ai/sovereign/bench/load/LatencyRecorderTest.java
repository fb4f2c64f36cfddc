package ai.sovereign.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyRecorderTest {

    @ParameterizedTest(name = "1..{0} ms -> p50 {1}, p95 {2}, p99 {3}")
    @CsvSource({
        "100, 50, 95, 99",
        "1000, 500, 950, 990",
    })
    void percentilesOfAUniformSequenceAreWhereTheyShouldBe(int n, double p50, double p95, double p99) {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 1; i <= n; i++) {
            recorder.recordNanos(TimeUnit.MILLISECONDS.toNanos(i));
        }
        LatencySummary summary = recorder.summary();
        assertEquals(n, summary.count());
        assertEquals(p50, summary.p50Ms(), p50 * 0.002);
        assertEquals(p95, summary.p95Ms(), p95 * 0.002);
        assertEquals(p99, summary.p99Ms(), p99 * 0.002);
        assertEquals(n, summary.maxMs(), n * 0.002);
    }

    @Test
    void summariesAccumulateAcrossCalls() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.recordNanos(1_000_000);
        assertEquals(1, recorder.summary().count());
        recorder.recordNanos(3_000_000);
        LatencySummary summary = recorder.summary();
        assertEquals(2, summary.count());
        assertEquals(2.0, summary.meanMs(), 0.01);
    }
}
