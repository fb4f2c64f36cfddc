package ai.sovereign.simulator.metrics;

import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters a test (or /metrics, or /sim/stats) can read: requests per endpoint, per-model
 * tokens, completions and failures, and the running/waiting gauges kept by each model's limiter.
 */
public final class SimulatorMetrics {

    private final ModelRegistry models;
    private final Map<Endpoint, LongAdder> requests = new EnumMap<>(Endpoint.class);
    private final Map<String, ModelStats> perModel = new ConcurrentHashMap<>();

    public SimulatorMetrics(ModelRegistry models) {
        this.models = models;
        for (Endpoint endpoint : Endpoint.values()) {
            requests.put(endpoint, new LongAdder());
        }
    }

    public void received(Endpoint endpoint) {
        requests.get(endpoint).increment();
    }

    /** Requests received on an endpoint, whatever their outcome. */
    public long requests(Endpoint endpoint) {
        return requests.get(endpoint).sum();
    }

    /** Pull requests received on /api/pull. */
    public long pulls() {
        return requests(Endpoint.OLLAMA_PULL);
    }

    public ModelStats model(String model) {
        return perModel.computeIfAbsent(model, m -> new ModelStats());
    }

    /** Requests holding a concurrency slot right now, over all models. */
    public int activeRequests() {
        return models.all().stream().mapToInt(m -> m.limiter().running()).sum();
    }

    /** Requests holding a slot of {@code model} right now. */
    public int runningRequests(String model) {
        return models.find(model).map(m -> m.limiter().running()).orElse(0);
    }

    /** Requests queued for a slot of {@code model} right now. */
    public int waitingRequests(String model) {
        return models.find(model).map(m -> m.limiter().waiting()).orElse(0);
    }

    public long promptTokens(String model) {
        return stats(model).map(ModelStats::promptTokens).orElse(0L);
    }

    public long generatedTokens(String model) {
        return stats(model).map(ModelStats::generatedTokens).orElse(0L);
    }

    /** Inference requests of {@code model} answered in full. */
    public long completedRequests(String model) {
        return stats(model).map(ModelStats::completed).orElse(0L);
    }

    public long failures(String model, FailureKind kind) {
        return stats(model).map(s -> s.failures(kind)).orElse(0L);
    }

    /** Zeroes every counter (not the gauges, which reflect requests still in flight). */
    public void reset() {
        requests.values().forEach(LongAdder::reset);
        perModel.values().forEach(ModelStats::reset);
    }

    Map<String, ModelStats> perModel() {
        return perModel;
    }

    Iterable<SimulatedModel> models() {
        return models.all();
    }

    private Optional<ModelStats> stats(String model) {
        return Optional.ofNullable(perModel.get(model))
                .or(() -> models.find(model).map(m -> perModel.get(m.name())));
    }
}
