package ai.sovereign.router.balance;

import ai.sovereign.router.config.RoutingWeights;

/**
 * Scores a candidate server for one request; the lowest score wins. Each term is normalised to about 0..1 and
 * multiplied by its weight from the routing config ({@code balancing.weights}, defaults shown):
 *
 * <pre>
 * score = 1.0 × load        in-flight / maxConcurrency                       (0 idle … 1 full)
 *       − 1.0 × prefix      share of the prompt's leading blocks the router recently sent there, or 1 for the
 *                           server of the request's X-Session-Id; 0 when the server is over the bounded-load
 *                           limit; for the prefix's home (the first server within that limit in the rendezvous
 *                           order of the prompt's first block, {@link PrefixHome}) max(that, 0.5), + 0.1 when
 *                           no other server holds more of the prompt (see {@link LeastLoadedBalancer})
 *       + 0.3 × cold        1 when the model is not loaded (Ollama /api/ps), else 0
 *       + 0.5 × slowness    min(4, EWMA latency / best candidate's − 1.25), ≥ 0, fading by half every 30 s
 *                           without a sample (within 25 % of the best counts as equally fast), × (1 − the
 *                           share of the prompt cached there): only the share it would prefill counts
 *       + 0.2 × memory      1 − free GPU memory share (gpu-agent telemetry; 0 without it)
 *       + 1.0 × failures    EWMA of failed attempts (0..1), halving every 20 s without a failure; below 0.05
 *                           it counts as 0 (noise)
 * </pre>
 *
 * Load dominates among servers without affinity, so traffic spreads; a server 4× slower than the best carries a
 * penalty of 0.5 × 2.75 ≈ 1.4 and gets requests only when the others are nearly full. Slowness fades so that a
 * server that was slow is tried again now and then: its latency is only learned from traffic. Ties go round-robin.
 */
public final class ServerScorer {

    static final double MAX_SLOWNESS = 4.0;
    static final double SLOWNESS_HALF_LIFE_MS = 30_000;
    /** Latency within this share of the best is noise, not slowness. */
    static final double SLOWNESS_TOLERANCE = 0.25;

    static final double FAILURE_FLOOR = 0.05;

    private ServerScorer() {}

    /**
     * What the score depends on.
     *
     * @param latencyMs        EWMA latency of this server for the model; NaN when unknown
     * @param latencyAgeMs     how old that latency's newest sample is
     * @param bestLatencyMs    lowest known EWMA latency among the candidates; NaN when none is known
     * @param gpuMemoryFree    free share of GPU memory; null without telemetry
     */
    public record Inputs(
            int inFlight,
            int maxConcurrency,
            boolean modelLoaded,
            double latencyMs,
            long latencyAgeMs,
            double bestLatencyMs,
            Double gpuMemoryFree,
            double failureRate) {}

    /** The score under the default weights, without prefix affinity. */
    public static double score(Inputs in) {
        return score(in, RoutingWeights.defaults(), 0);
    }

    /** The score with prefix affinity 0..1, the share of the prompt cached there (1 for the session's server). */
    public static double score(Inputs in, RoutingWeights w, double prefixAffinity) {
        return score(in, w, prefixAffinity, prefixAffinity);
    }

    /**
     * The score with the home's floor and tie bonus in the affinity, and the cached share apart.
     *
     * @param prefixAffinity as above, with the home's floor and tie bonus
     * @param cachedShare    0..1, the share of the prompt the server holds (1 for the session's server), without
     *                       the home's bonus: slowness counts for the rest only
     */
    public static double score(Inputs in, RoutingWeights w, double prefixAffinity, double cachedShare) {
        double load = (double) in.inFlight() / Math.max(1, in.maxConcurrency());
        double cold = in.modelLoaded() ? 0 : 1;
        double slowness = 0;
        if (!Double.isNaN(in.latencyMs()) && !Double.isNaN(in.bestLatencyMs()) && in.bestLatencyMs() > 0) {
            double fade = Math.pow(0.5, Math.max(0, in.latencyAgeMs()) / SLOWNESS_HALF_LIFE_MS);
            slowness = Math.min(MAX_SLOWNESS, Math.max(0, in.latencyMs() / in.bestLatencyMs() - 1 - SLOWNESS_TOLERANCE))
                    * fade;
        }
        // A server's time to first token counts the prefills of the prompts it was sent and did not hold; for the share
        // of this prompt it holds there is no such prefill, and its queue is already counted as load. So slowness
        // weighs only the uncached share: a warm server is not driven away by the misses of others.
        slowness *= 1 - Math.clamp(cachedShare, 0.0, 1.0);
        double memory = in.gpuMemoryFree() == null ? 0 : 1 - Math.clamp(in.gpuMemoryFree(), 0.0, 1.0);
        return w.load() * load
                - w.prefix() * Math.clamp(prefixAffinity, 0.0, 1.0 + PrefixHome.HOME_TIE)
                + w.warmModel() * cold
                + w.latency() * slowness
                + w.gpuMemory() * memory
                + w.failures() * (in.failureRate() < FAILURE_FLOOR ? 0 : Math.clamp(in.failureRate(), 0.0, 1.0));
    }
}
