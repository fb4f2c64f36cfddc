package ai.sovereign.simulator.model;

import ai.sovereign.simulator.behaviour.ConcurrencyLimiter;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.generation.SeedMixer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** One model the simulator serves: its facts, its current behaviour, its slots and its load state. */
public final class SimulatedModel {

    private final ModelInfo info;
    private final Instant modifiedAt;
    private final long seed;
    private final ConcurrencyLimiter limiter;
    private final AtomicLong errorDraws = new AtomicLong();
    private volatile ModelBehaviour behaviour;
    private volatile Instant expiresAt; // null while not loaded

    SimulatedModel(String name, ModelBehaviour behaviour, long seed, Instant modifiedAt) {
        this.info = ModelInfo.of(name, 0);
        this.behaviour = behaviour;
        this.seed = seed;
        this.modifiedAt = modifiedAt;
        this.limiter = new ConcurrencyLimiter(() -> this.behaviour.maxConcurrency());
    }

    public String name() {
        return info.name();
    }

    public ModelInfo info() {
        return info;
    }

    public Instant modifiedAt() {
        return modifiedAt;
    }

    public ModelBehaviour behaviour() {
        return behaviour;
    }

    /** Replaces the behaviour for requests that arrive from now on. */
    public void behaviour(ModelBehaviour behaviour) {
        this.behaviour = behaviour;
        // A raised concurrency limit should let queued requests in now, not at the next release.
        limiter.admitWaiting();
    }

    public ConcurrencyLimiter limiter() {
        return limiter;
    }

    public int embeddingDimensions() {
        int configured = behaviour.embeddingDimensions();
        return configured > 0 ? configured : info.embeddingDimensions();
    }

    /**
     * Draws whether the next request fails with a 500. The n-th draw of a model depends only on
     * (seed, model, n), so a run's sequence of failures repeats exactly.
     */
    public boolean drawsError(double errorRate) {
        if (errorRate <= 0) {
            return false;
        }
        long draw = errorDraws.getAndIncrement();
        return errorRate >= 1 || SeedMixer.unitInterval(SeedMixer.mix(seed, info.name(), draw)) < errorRate;
    }

    public boolean isLoaded(Instant now) {
        Instant until = expiresAt;
        return until != null && until.isAfter(now);
    }

    /** When the model unloads itself, or empty when it is not loaded. */
    public Optional<Instant> expiresAt(Instant now) {
        return isLoaded(now) ? Optional.of(expiresAt) : Optional.empty();
    }

    /**
     * Marks the model loaded for {@code keepAlive} from now (zero unloads it, as in Ollama).
     *
     * @return whether it was not loaded before, i.e. whether this request pays the load time
     */
    public boolean load(Duration keepAlive, Instant now) {
        boolean wasLoaded = isLoaded(now);
        if (keepAlive.isZero()) {
            expiresAt = null;
        } else {
            expiresAt = keepAlive.equals(KeepAlive.FOREVER) ? Instant.MAX : now.plus(keepAlive);
        }
        return !wasLoaded;
    }

    public void unload() {
        expiresAt = null;
    }
}
