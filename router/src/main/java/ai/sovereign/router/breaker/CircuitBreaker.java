package ai.sovereign.router.breaker;

import ai.sovereign.router.config.BreakerSettings;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The circuit breaker of one (server, model). Closed → open when the failure ratio over the sliding window exceeds
 * {@code failureThreshold} with at least {@code minRequests} outcomes; open → half-open after
 * {@code recoveryTimeoutMs}; half-open admits {@code halfOpenProbes} requests at once, and a probe's success closes
 * it while its failure opens it again. A state an operator sets is manual and sticks until {@link #reset()}.
 */
public final class CircuitBreaker {

    /** The window never holds more outcomes than this, however busy the pair is. */
    private static final int MAX_WINDOW = 10_000;

    private final String serverId;
    private final String model;
    private final LongSupplier clock;
    private final Supplier<BreakerSettings> settings;
    private final ArrayDeque<long[]> window = new ArrayDeque<>(); // {time millis, 1 = failure}
    private BreakerState state = BreakerState.CLOSED;
    private boolean manual;
    private int windowFailures;
    private int probesInFlight;
    private long notClosedSince = -1;
    private long openSince;
    private Instant lastOpenedAt;
    private long totalNotClosedMs;
    private long timesOpened;
    private long requestsRefused;
    private String lastFailure;
    private Runnable onTransition = () -> {};

    public CircuitBreaker(String serverId, String model, LongSupplier clock, Supplier<BreakerSettings> settings) {
        this.serverId = serverId;
        this.model = model;
        this.clock = clock;
        this.settings = settings;
    }

    public String serverId() {
        return serverId;
    }

    public String model() {
        return model;
    }

    void onTransition(Runnable listener) {
        onTransition = listener;
    }

    /** Whether a request may go to this pair now; moves open → half-open once the recovery timeout has passed. */
    public synchronized boolean permits() {
        long now = clock.getAsLong();
        if (state == BreakerState.OPEN
                && !manual
                && now - openSince >= settings.get().recoveryTimeoutMs()) {
            transition(BreakerState.HALF_OPEN, now);
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> probesInFlight < settings.get().halfOpenProbes();
        };
    }

    /** A request was sent; returns whether it is a half-open probe (pass that back to {@link #record}). */
    public synchronized boolean onDispatch() {
        if (state == BreakerState.HALF_OPEN) {
            probesInFlight++;
            return true;
        }
        return false;
    }

    /** The outcome of a request sent through this breaker. */
    public synchronized void record(boolean success, boolean probe, String error) {
        long now = clock.getAsLong();
        if (probe) {
            probesInFlight = Math.max(0, probesInFlight - 1);
        }
        if (!success) {
            lastFailure = error;
        }
        switch (state) {
            case CLOSED -> {
                add(now, !success);
                BreakerSettings s = settings.get();
                if (!manual
                        && window.size() >= s.minRequests()
                        && (double) windowFailures / window.size() > s.failureThreshold()) {
                    transition(BreakerState.OPEN, now);
                }
            }
            case HALF_OPEN -> {
                if (!manual && probe) {
                    transition(success ? BreakerState.CLOSED : BreakerState.OPEN, now);
                }
            }
            case OPEN -> {
                // A request sent before the breaker opened; its outcome changes nothing now.
            }
        }
    }

    /** A probe ended without an outcome (its client went away): its place is free again. */
    public synchronized void probeAbandoned() {
        probesInFlight = Math.max(0, probesInFlight - 1);
    }

    /** A recovery test passed: close, unless an operator holds the state. */
    public synchronized void recoverySucceeded() {
        if (!manual && state != BreakerState.CLOSED) {
            transition(BreakerState.CLOSED, clock.getAsLong());
        }
    }

    /** A recovery test failed: stay open another recovery timeout. */
    public synchronized void recoveryFailed(String error) {
        lastFailure = error;
        if (manual) {
            return;
        }
        if (state == BreakerState.HALF_OPEN) {
            transition(BreakerState.OPEN, clock.getAsLong());
        } else if (state == BreakerState.OPEN) {
            openSince = clock.getAsLong();
        }
    }

    /** Counts a request this breaker turned away. */
    public synchronized void refused() {
        requestsRefused++;
    }

    /** An operator sets the state; it sticks until {@link #reset()}. */
    public synchronized void force(BreakerState target) {
        manual = true;
        if (state != target) {
            transition(target, clock.getAsLong());
        }
    }

    /** Back to automatic and closed, with an empty window. */
    public synchronized void reset() {
        manual = false;
        probesInFlight = 0;
        window.clear();
        windowFailures = 0;
        if (state != BreakerState.CLOSED) {
            transition(BreakerState.CLOSED, clock.getAsLong());
        }
    }

    public synchronized BreakerState state() {
        return state;
    }

    public synchronized boolean manual() {
        return manual;
    }

    public synchronized BreakerSnapshot snapshot() {
        long now = clock.getAsLong();
        prune(now);
        long open = totalNotClosedMs + (notClosedSince >= 0 ? now - notClosedSince : 0);
        return new BreakerSnapshot(
                serverId,
                model,
                state.wireName(),
                manual,
                window.size(),
                windowFailures,
                window.isEmpty() ? 0 : (double) windowFailures / window.size(),
                lastOpenedAt,
                open,
                timesOpened,
                requestsRefused,
                probesInFlight,
                lastFailure);
    }

    private void transition(BreakerState target, long now) {
        BreakerState from = state;
        state = target;
        if (from == BreakerState.CLOSED) {
            notClosedSince = now;
            lastOpenedAt = Instant.ofEpochMilli(now);
        }
        if (target == BreakerState.OPEN) {
            openSince = now;
            timesOpened++;
        }
        if (target == BreakerState.CLOSED) {
            totalNotClosedMs += now - notClosedSince;
            notClosedSince = -1;
            window.clear();
            windowFailures = 0;
        }
        onTransition.run();
    }

    private void add(long now, boolean failure) {
        prune(now);
        window.addLast(new long[] {now, failure ? 1 : 0});
        windowFailures += failure ? 1 : 0;
        if (window.size() > MAX_WINDOW) {
            windowFailures -= (int) window.removeFirst()[1];
        }
    }

    private void prune(long now) {
        long horizon = now - settings.get().windowMs();
        while (!window.isEmpty() && window.peekFirst()[0] < horizon) {
            windowFailures -= (int) window.removeFirst()[1];
        }
    }
}
