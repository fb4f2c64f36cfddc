package ai.sovereign.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentLoadTest {

    @Test
    void everySequenceNumberIsSentOnceAndConcurrencyIsBounded() {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        LoadResult result = new ConcurrentLoad("closed-loop", 8, 1_000, Duration.ofSeconds(20)).run(sequence -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            seen.add(sequence);
            Thread.onSpinWait();
            inFlight.decrementAndGet();
            return Outcome.SUCCESS;
        });
        assertEquals(1_000, result.requests());
        assertEquals(1_000, seen.size());
        assertEquals(0, result.failures());
        assertTrue(maxInFlight.get() <= 8, "at most 8 in flight, saw " + maxInFlight.get());
        assertTrue(result.requestsPerSecond() > 0);
    }
}
