package ai.sovereign.router.breaker;

import java.util.Locale;

/** A circuit breaker's state; the number is what {@code orchestrator_circuit_breaker_state} reports. */
public enum BreakerState {
    CLOSED(0),
    HALF_OPEN(1),
    OPEN(2);

    private final int gaugeValue;

    BreakerState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    public int gaugeValue() {
        return gaugeValue;
    }

    /** {@code closed}, {@code half-open}, {@code open}: as in the admin paths. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
