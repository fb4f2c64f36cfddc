package ai.sovereign.router.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.config.BreakerSettings;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Breaker state transitions on a hand-driven clock. */
class CircuitBreakerTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final BreakerSettings settings = new BreakerSettings(0.5, 4, 10_000, 5_000, 1);
    final CircuitBreaker breaker = new CircuitBreaker("gpu-1", "llama3.1:8b", now::get, () -> settings);

    @Test
    void opensOnlyWhenTheRatioExceedsTheThresholdWithEnoughRequests() {
        breaker.record(false, false, "boom");
        breaker.record(false, false, "boom");
        breaker.record(false, false, "boom");
        assertEquals(BreakerState.CLOSED, breaker.state(), "3 outcomes < minRequests 4");
        breaker.record(true, false, null);
        assertEquals(BreakerState.OPEN, breaker.state(), "3 of 4 failed > 0.5");
        assertFalse(breaker.permits());
    }

    @Test
    void halfAFailedWindowIsNotOverTheThreshold() {
        for (int i = 0; i < 4; i++) {
            breaker.record(i % 2 == 0, false, "x");
        }
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void oldOutcomesLeaveTheSlidingWindow() {
        breaker.record(false, false, "x");
        breaker.record(false, false, "x");
        breaker.record(false, false, "x");
        now.addAndGet(11_000);
        breaker.record(false, false, "x");
        assertEquals(BreakerState.CLOSED, breaker.state(), "the first three fell out of the 10 s window");
    }

    @Test
    void halfOpensAfterTheRecoveryTimeoutAdmitsOneProbeAndCloses() {
        breaker.force(BreakerState.OPEN);
        breaker.reset();
        for (int i = 0; i < 4; i++) {
            breaker.record(false, false, "x");
        }
        now.addAndGet(5_000);
        assertTrue(breaker.permits());
        assertEquals(BreakerState.HALF_OPEN, breaker.state());
        assertTrue(breaker.onDispatch());
        assertFalse(breaker.permits(), "one probe at a time");
        breaker.record(true, true, null);
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void aFailedProbeReopens() {
        for (int i = 0; i < 4; i++) {
            breaker.record(false, false, "x");
        }
        now.addAndGet(5_000);
        breaker.permits();
        breaker.onDispatch();
        breaker.record(false, true, "still down");
        assertEquals(BreakerState.OPEN, breaker.state());
        assertEquals("still down", breaker.snapshot().lastFailure());
    }

    @Test
    void manualStatesStickUntilReset() {
        breaker.force(BreakerState.OPEN);
        now.addAndGet(60_000);
        assertFalse(breaker.permits(), "no automatic half-open for a manual state");
        breaker.recoverySucceeded();
        assertEquals(BreakerState.OPEN, breaker.state());
        breaker.reset();
        assertEquals(BreakerState.CLOSED, breaker.state());
        assertFalse(breaker.manual());
    }
}
