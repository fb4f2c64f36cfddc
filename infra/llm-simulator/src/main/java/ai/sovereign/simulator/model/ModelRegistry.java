package ai.sovereign.simulator.model;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models the simulator currently serves. Lookups follow Ollama's naming: "llama3.1" means
 * "llama3.1:latest".
 */
public final class ModelRegistry {

    private static final String LATEST = ":latest";

    private final Map<String, SimulatedModel> models = new ConcurrentHashMap<>();
    private final long seed;
    private final Clock clock;
    private volatile ModelBehaviour defaultBehaviour;

    public ModelRegistry(long seed, ModelBehaviour defaultBehaviour, Clock clock) {
        this.seed = seed;
        this.defaultBehaviour = defaultBehaviour;
        this.clock = clock;
    }

    public Optional<SimulatedModel> find(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        SimulatedModel exact = models.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        if (!hasTag(name)) {
            return Optional.ofNullable(models.get(name + LATEST));
        }
        if (name.endsWith(LATEST)) {
            return Optional.ofNullable(models.get(name.substring(0, name.length() - LATEST.length())));
        }
        return Optional.empty();
    }

    /** Adds a model, or gives an existing one the new behaviour. */
    public SimulatedModel put(String name, ModelBehaviour behaviour) {
        SimulatedModel model =
                models.computeIfAbsent(name, n -> new SimulatedModel(n, behaviour, seed, clock.instant()));
        model.behaviour(behaviour);
        return model;
    }

    /** Adds a model with the default behaviour unless it is already there. */
    public SimulatedModel putIfAbsent(String name) {
        return models.computeIfAbsent(name, n -> new SimulatedModel(n, defaultBehaviour, seed, clock.instant()));
    }

    public Optional<SimulatedModel> remove(String name) {
        return find(name).map(m -> models.remove(m.name()));
    }

    /** All models, sorted by name so listings are stable. */
    public List<SimulatedModel> all() {
        return models.values().stream()
                .sorted(Comparator.comparing(SimulatedModel::name))
                .toList();
    }

    public ModelBehaviour defaultBehaviour() {
        return defaultBehaviour;
    }

    /** The behaviour models added later (e.g. by a pull) start with. */
    public void defaultBehaviour(ModelBehaviour behaviour) {
        this.defaultBehaviour = behaviour;
    }

    /** Ollama's canonical form of a name: a missing tag means ":latest". */
    public static String canonical(String name) {
        return hasTag(name) ? name : name + LATEST;
    }

    private static boolean hasTag(String name) {
        return name.indexOf(':', name.lastIndexOf('/') + 1) >= 0;
    }
}
