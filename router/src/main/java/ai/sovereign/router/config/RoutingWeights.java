package ai.sovereign.router.config;

/**
 * How much each signal counts when the balancer scores a candidate server (lowest score wins; see
 * {@code ServerScorer} and docs/router.md). Each signal is normalised to about 0..1, so a weight says how many
 * "full servers" of load the signal is worth. Zero turns a signal off.
 *
 * @param load       in-flight / maxConcurrency
 * @param prefix     share of the request's prompt blocks the router last sent to that server (a bonus)
 * @param warmModel  the model is not loaded there (a penalty; Ollama /api/ps or gpu-agent telemetry)
 * @param latency    slowness: EWMA latency relative to the fastest candidate
 * @param gpuMemory  used share of the server's GPU memory (gpu-agent telemetry)
 * @param failures   EWMA share of failed attempts on that server for the model
 */
public record RoutingWeights(
        double load, double prefix, double warmModel, double latency, double gpuMemory, double failures) {

    /** The maximum any weight may take. */
    public static final double MAX = 100;

    public static RoutingWeights defaults() {
        return new RoutingWeights(1.0, 1.0, 0.3, 0.5, 0.2, 1.0);
    }

    public RoutingWeights withPrefix(double value) {
        return new RoutingWeights(load, value, warmModel, latency, gpuMemory, failures);
    }
}
