package ai.sovereign.gateway.limits;

/**
 * A token bucket holding up to {@code capacity} tokens, refilled at {@code capacity} per minute. It may be charged
 * below zero (TPM is charged with the real usage after the response), and then admits nothing until refilled.
 * Times are caller-supplied nanoseconds so tests can drive it.
 */
public final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public TokenBucket(long capacity, long nowNanos) {
        this.capacity = capacity;
        this.perNano = capacity / NANOS_PER_MINUTE;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes {@code n} tokens if there are that many; otherwise takes none. */
    public synchronized boolean tryTake(double n, long nowNanos) {
        refill(nowNanos);
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Whether the bucket is above zero (something may be admitted). */
    public synchronized boolean positive(long nowNanos) {
        refill(nowNanos);
        return tokens > 0;
    }

    /** Removes {@code n} tokens unconditionally; the balance may go negative. */
    public synchronized void charge(double n, long nowNanos) {
        refill(nowNanos);
        tokens -= n;
    }

    /** Whole seconds until the bucket holds {@code n} tokens (at least 1). */
    public synchronized long secondsUntil(double n, long nowNanos) {
        refill(nowNanos);
        double missing = n - tokens;
        if (missing <= 0) {
            return 1;
        }
        return Math.max(1, (long) Math.ceil(missing / perNano / 1e9));
    }

    public synchronized double available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = nowNanos;
        }
    }
}
