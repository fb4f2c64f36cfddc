package ai.sovereign.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixedRateLoadTest {

    @Test
    void requestsFollowTheScheduleAndFailuresAreCounted() throws Exception {
        LoadResult result = new FixedRateLoad("schedule", 2_000, 200, Duration.ofSeconds(10), 64)
                .run(sequence -> sequence % 10 == 0 ? Outcome.FAILURE : Outcome.SUCCESS);
        assertEquals(200, result.requests());
        assertEquals(20, result.failures());
        assertTrue(
                result.seconds() >= 199 / 2_000.0,
                "200 requests at 2000/s take at least 99.5 ms, took " + result.seconds());
    }

    @Test
    void aStalledServerShowsInTheLatencyOfRequestsScheduledBehindIt() throws Exception {
        // one slot: while request 0 is stalled for 60 ms, requests 1..49 are due but cannot start
        LoadResult result = new FixedRateLoad("stall", 1_000, 50, Duration.ofSeconds(10), 1).run(sequence -> {
            if (sequence == 0) {
                Thread.sleep(Duration.ofMillis(60)); // the simulated server stall being measured
            }
            return Outcome.SUCCESS;
        });
        assertEquals(50, result.requests());
        assertTrue(
                result.latency().p50Ms() >= 20,
                "requests waiting behind the stall count their wait: " + result.latency());
    }

    @Test
    void exceptionsCountAsFailures() throws Exception {
        LoadResult result = new FixedRateLoad("throws", 5_000, 10, Duration.ofSeconds(5), 4).run(sequence -> {
            throw new java.io.IOException("connection refused");
        });
        assertEquals(10, result.failures());
    }

    @Test
    void nonPositiveRateIsRejected() {
        var error = assertThrows(
                IllegalArgumentException.class, () -> new FixedRateLoad("bad", 0, 1, Duration.ofSeconds(1), 1));
        assertEquals("rate must be > 0 requests/s (got 0.0)", error.getMessage());
    }
}
