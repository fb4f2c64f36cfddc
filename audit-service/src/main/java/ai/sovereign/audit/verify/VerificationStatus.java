package ai.sovereign.audit.verify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outcome of the latest whole-trail verification as metrics: {@code audit_chain_verified} (1 intact, 0 broken,
 * NaN before the first run), {@code audit_chain_last_verified_timestamp_seconds} and
 * {@code audit_verify_failures_total}.
 */
@Singleton
public final class VerificationStatus {

    private final AtomicLong verified = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong lastRunSeconds = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final Clock clock;
    private final Counter failures;

    public VerificationStatus(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        Gauge.builder("audit.chain.verified", verified, v -> Double.longBitsToDouble(v.get()))
                .description(
                        "1 when the latest verification of every chain and checkpoint passed, 0 when it found a break")
                .register(registry);
        Gauge.builder(
                        "audit.chain.last.verified.timestamp.seconds",
                        lastRunSeconds,
                        v -> Double.longBitsToDouble(v.get()))
                .description("When the latest whole-trail verification finished, in Unix seconds")
                .register(registry);
        failures = Counter.builder("audit.verify.failures")
                .description("Verifications (periodic or requested) that found a break")
                .register(registry);
    }

    /** Counts a verification of any range that found a break. */
    void failed() {
        failures.increment();
    }

    /** Publishes the outcome of a whole-trail verification. */
    void record(VerifyReport report) {
        verified.set(Double.doubleToLongBits(report.ok() ? 1.0 : 0.0));
        lastRunSeconds.set(Double.doubleToLongBits(clock.millis() / 1000.0));
    }
}
