package ai.sovereign.simulator.cli;

import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.BehaviourJson;
import ai.sovereign.simulator.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The --config JSON file:
 * <pre>{@code
 * {"host": "0.0.0.0", "port": 11434, "seed": 42, "pullMs": 300, "ioThreads": 2,
 *  "defaultBehaviour": {"ttftMs": 50, "interTokenMs": 10},
 *  "models": {"llama3.1:8b": {"maxConcurrency": 4}, "nomic-embed-text": {}}}
 * }</pre>
 * "models" may also be a plain array of names. Unknown keys are rejected so typos surface.
 */
final class ConfigFile {

    private static final Set<String> KEYS =
            Set.of("host", "port", "seed", "pullMs", "ioThreads", "defaultBehaviour", "models");

    private final Path path;
    private final JsonNode root;

    private ConfigFile(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    static ConfigFile read(Path path) {
        JsonNode root;
        try {
            root = Json.parse(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "config file " + path + " is not valid JSON: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("config file " + path + " must hold a JSON object");
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "config file " + path + ": unknown key '" + key + "'; known keys: " + KEYS);
            }
        }
        return new ConfigFile(path, root);
    }

    /** Server settings and the default behaviour. */
    SimulatorConfig applyTo(SimulatorConfig config) {
        try {
            if (root.has("host")) {
                config = config.withHost(root.path("host").asString());
            }
            if (root.has("port")) {
                config = config.withPort(root.path("port").asInt());
            }
            if (root.has("seed")) {
                config = config.withSeed(root.path("seed").asLong());
            }
            if (root.has("pullMs")) {
                config = config.withPullDuration(
                        Duration.ofMillis(root.path("pullMs").asLong()));
            }
            if (root.has("ioThreads")) {
                config = config.withIoThreads(root.path("ioThreads").asInt());
            }
            if (root.has("defaultBehaviour")) {
                config = config.withDefaultBehaviour(
                        BehaviourJson.apply(config.defaultBehaviour(), root.path("defaultBehaviour")));
            }
            return config;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model list and per-model behaviour, applied after the default behaviour is final.
     *
     * @param flagModels the --models list, which replaces the file's list when given
     */
    SimulatorConfig applyModelsTo(SimulatorConfig config, List<String> flagModels) {
        JsonNode models = root.path("models");
        Map<String, JsonNode> overrides = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        if (models.isObject()) {
            for (Map.Entry<String, JsonNode> entry : models.properties()) {
                names.add(entry.getKey());
                overrides.put(entry.getKey(), entry.getValue());
            }
        } else if (models.isArray()) {
            models.forEach(m -> names.add(m.asString("")));
        } else if (!models.isMissingNode()) {
            throw new IllegalArgumentException(
                    "config file " + path + ": 'models' must be an object or an array of names");
        }
        List<String> served = flagModels != null ? flagModels : names.isEmpty() ? config.models() : names;
        config = config.withModels(served);
        for (String model : served) {
            JsonNode override = overrides.get(model);
            if (override != null && !override.isEmpty()) {
                try {
                    config = config.withModel(model, BehaviourJson.apply(config.defaultBehaviour(), override));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "config file " + path + ", model '" + model + "': " + e.getMessage(), e);
                }
            }
        }
        return config;
    }
}
