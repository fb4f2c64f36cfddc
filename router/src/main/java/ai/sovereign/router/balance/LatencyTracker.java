package ai.sovereign.router.balance;

import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent behaviour of each (server, model), as exponentially weighted moving averages: time to the first byte
 * (for a non-streamed request, to the whole answer) and the share of attempts that failed.
 */
@Singleton
public class LatencyTracker {

    /** Weight of the newest latency sample: about the last ten requests matter. */
    static final double LATENCY_ALPHA = 0.2;
    /** Weight of the newest outcome in the failure average: about the last twenty matter. */
    static final double FAILURE_ALPHA = 0.1;

    private final ConcurrentHashMap<String, Stats> stats = new ConcurrentHashMap<>();

    /** What is known of one (server, model); latency is NaN until the first success. */
    public record Observed(double latencyMs, long latencySampledAtMillis, double failureRate) {
        static final Observed NONE = new Observed(Double.NaN, 0, 0);
    }

    /** A failure average with no new failure halves every this long, so a recovered server is tried again. */
    static final double FAILURE_HALF_LIFE_MS = 20_000;

    private static final class Stats {
        double latencyMs = Double.NaN;
        long sampledAt;
        double failureRate;
        long failedAt;
    }

    public void recordSuccess(String serverId, String model, double latencyMs) {
        Stats s = stats.computeIfAbsent(key(serverId, model), k -> new Stats());
        synchronized (s) {
            s.latencyMs =
                    Double.isNaN(s.latencyMs) ? latencyMs : s.latencyMs + LATENCY_ALPHA * (latencyMs - s.latencyMs);
            s.sampledAt = System.currentTimeMillis();
            s.failureRate -= FAILURE_ALPHA * s.failureRate;
        }
    }

    public void recordFailure(String serverId, String model) {
        Stats s = stats.computeIfAbsent(key(serverId, model), k -> new Stats());
        synchronized (s) {
            s.failureRate = faded(s, System.currentTimeMillis());
            s.failureRate += FAILURE_ALPHA * (1 - s.failureRate);
            s.failedAt = System.currentTimeMillis();
        }
    }

    public Observed observed(String serverId, String model) {
        Stats s = stats.get(key(serverId, model));
        if (s == null) {
            return Observed.NONE;
        }
        synchronized (s) {
            return new Observed(s.latencyMs, s.sampledAt, faded(s, System.currentTimeMillis()));
        }
    }

    /**
     * A recovery test passed: what was learned before the pair broke (failures, latency under the old conditions) no
     * longer describes it; it starts again as unknown, like a new server, and learns from traffic.
     */
    public void recovered(String serverId, String model) {
        stats.remove(key(serverId, model));
    }

    private static double faded(Stats s, long now) {
        return s.failureRate == 0
                ? 0
                : s.failureRate * Math.pow(0.5, Math.max(0, now - s.failedAt) / FAILURE_HALF_LIFE_MS);
    }

    public void forgetServer(String serverId) {
        stats.keySet().removeIf(key -> key.startsWith(serverId + "\u0000"));
    }

    private static String key(String serverId, String model) {
        return serverId + "\u0000" + model;
    }
}
