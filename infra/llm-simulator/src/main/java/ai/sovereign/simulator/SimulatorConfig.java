package ai.sovereign.simulator;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.PrefixCacheSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a simulator.
 *
 * @param host             address to bind ("127.0.0.1" by default, "0.0.0.0" for all interfaces)
 * @param port             port to bind; 0 picks a free one (read it back with {@link LlmSimulator#port()})
 * @param seed             global seed for generated text and error draws when a request gives none
 * @param defaultBehaviour behaviour of models without an entry in {@code behaviours}, and of models
 *                         added later (pulls, {@link LlmSimulator#addModel(String)})
 * @param models           model names served from the start
 * @param behaviours       per-model behaviour overrides; every key must be in {@code models}
 * @param pullDuration     how long a simulated /api/pull takes from first to last progress line
 * @param ioThreads        Netty event-loop threads (they also run every simulated delay)
 * @param prefixCache      the server's prefix (KV) cache and prefill cost; off by default
 */
public record SimulatorConfig(
        String host,
        int port,
        long seed,
        ModelBehaviour defaultBehaviour,
        List<String> models,
        Map<String, ModelBehaviour> behaviours,
        Duration pullDuration,
        int ioThreads,
        PrefixCacheSettings prefixCache) {

    /** Without a prefix cache (the behaviour before the cache model existed). */
    public SimulatorConfig(
            String host,
            int port,
            long seed,
            ModelBehaviour defaultBehaviour,
            List<String> models,
            Map<String, ModelBehaviour> behaviours,
            Duration pullDuration,
            int ioThreads) {
        this(
                host,
                port,
                seed,
                defaultBehaviour,
                models,
                behaviours,
                pullDuration,
                ioThreads,
                PrefixCacheSettings.disabled());
    }

    public static final List<String> DEFAULT_MODELS = List.of("llama3.1:8b", "nomic-embed-text");

    public SimulatorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(defaultBehaviour, "defaultBehaviour");
        Objects.requireNonNull(pullDuration, "pullDuration");
        Objects.requireNonNull(prefixCache, "prefixCache");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (got " + port + ")");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be ≥ 1 (got " + ioThreads + ")");
        }
        if (pullDuration.isNegative()) {
            throw new IllegalArgumentException("pullDuration must not be negative (got " + pullDuration + ")");
        }
        models = List.copyOf(new LinkedHashSet<>(models));
        for (String model : models) {
            if (model.isBlank()) {
                throw new IllegalArgumentException("model names must not be blank (got " + models + ")");
            }
        }
        behaviours = Map.copyOf(behaviours);
        for (String model : behaviours.keySet()) {
            if (!models.contains(model)) {
                throw new IllegalArgumentException("behaviours has an entry for '" + model
                        + "', which is not in models " + models + "; add it with withModel(name, behaviour)");
            }
        }
    }

    /**
     * Local only, a free port, seed 42, {@link ModelBehaviour#defaults()}, llama3.1:8b and
     * nomic-embed-text, 300 ms pulls.
     */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(
                "127.0.0.1",
                0,
                42L,
                ModelBehaviour.defaults(),
                DEFAULT_MODELS,
                Map.of(),
                Duration.ofMillis(300),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** The behaviour {@code model} starts with. */
    public ModelBehaviour behaviourOf(String model) {
        return behaviours.getOrDefault(model, defaultBehaviour);
    }

    public SimulatorConfig withHost(String value) {
        return new SimulatorConfig(
                value, port, seed, defaultBehaviour, models, behaviours, pullDuration, ioThreads, prefixCache);
    }

    public SimulatorConfig withPort(int value) {
        return new SimulatorConfig(
                host, value, seed, defaultBehaviour, models, behaviours, pullDuration, ioThreads, prefixCache);
    }

    public SimulatorConfig withSeed(long value) {
        return new SimulatorConfig(
                host, port, value, defaultBehaviour, models, behaviours, pullDuration, ioThreads, prefixCache);
    }

    public SimulatorConfig withDefaultBehaviour(ModelBehaviour value) {
        return new SimulatorConfig(host, port, seed, value, models, behaviours, pullDuration, ioThreads, prefixCache);
    }

    /** Replaces the model list (dropping overrides of models no longer listed). */
    public SimulatorConfig withModels(List<String> value) {
        Map<String, ModelBehaviour> kept = new LinkedHashMap<>(behaviours);
        kept.keySet().retainAll(value);
        return new SimulatorConfig(
                host, port, seed, defaultBehaviour, value, kept, pullDuration, ioThreads, prefixCache);
    }

    public SimulatorConfig withModels(String... value) {
        return withModels(List.of(value));
    }

    /** Adds a model (if absent) with its own behaviour. */
    public SimulatorConfig withModel(String model, ModelBehaviour behaviour) {
        List<String> list = new ArrayList<>(models);
        if (!list.contains(model)) {
            list.add(model);
        }
        Map<String, ModelBehaviour> map = new LinkedHashMap<>(behaviours);
        map.put(model, behaviour);
        return new SimulatorConfig(host, port, seed, defaultBehaviour, list, map, pullDuration, ioThreads, prefixCache);
    }

    public SimulatorConfig withPullDuration(Duration value) {
        return new SimulatorConfig(
                host, port, seed, defaultBehaviour, models, behaviours, value, ioThreads, prefixCache);
    }

    public SimulatorConfig withIoThreads(int value) {
        return new SimulatorConfig(
                host, port, seed, defaultBehaviour, models, behaviours, pullDuration, value, prefixCache);
    }

    /** The server's prefix (KV) cache and prefill cost, e.g. {@link PrefixCacheSettings#a10g8b()}. */
    public SimulatorConfig withPrefixCache(PrefixCacheSettings value) {
        return new SimulatorConfig(
                host, port, seed, defaultBehaviour, models, behaviours, pullDuration, ioThreads, value);
    }
}
