package ai.sovereign.router.config;

/**
 * Circuit breakers, one per (server, model).
 *
 * @param failureThreshold  the breaker opens when the failure ratio in the window exceeds this (0..1]
 * @param minRequests       ...and the window holds at least this many outcomes
 * @param windowMs          how far back outcomes count
 * @param recoveryTimeoutMs how long an open breaker stays open before it lets probes through (half-open)
 * @param halfOpenProbes    requests a half-open breaker admits at once
 */
public record BreakerSettings(
        double failureThreshold, int minRequests, long windowMs, long recoveryTimeoutMs, int halfOpenProbes) {

    public static BreakerSettings defaults() {
        return new BreakerSettings(0.5, 5, 60_000, 30_000, 1);
    }
}
