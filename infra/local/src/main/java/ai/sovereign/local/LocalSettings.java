package ai.sovereign.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the all-in-one keeps its data and which ports its embedded servers use, from environment variables:
 * {@code SOVEREIGN_DATA_DIR} (default {@code ./data}), {@code SOVEREIGN_POSTGRES_PORT} (5432),
 * {@code SOVEREIGN_KAFKA_PORT} (9092), {@code SOVEREIGN_NEO4J_BOLT_PORT} (7687). Port 0 picks a free port. The
 * services listen on their default ports (8080, 5100, ...) unless {@code randomServicePorts}
 * ({@code SOVEREIGN_RANDOM_SERVICE_PORTS=true}: every service and simulator on a free port, as tests need). Real inference
 * servers given in {@code SOVEREIGN_OLLAMA_URLS} / {@code SOVEREIGN_OPENAI_URLS} replace the simulated GPU hosts.
 */
public record LocalSettings(
        Path dataDir,
        int postgresPort,
        int kafkaPort,
        int neo4jBoltPort,
        boolean randomServicePorts,
        List<InferenceServer> externalServers) {

    public static final String DATABASE = "sovereign";

    public LocalSettings {
        checkPort("SOVEREIGN_POSTGRES_PORT", postgresPort);
        checkPort("SOVEREIGN_KAFKA_PORT", kafkaPort);
        checkPort("SOVEREIGN_NEO4J_BOLT_PORT", neo4jBoltPort);
        externalServers = List.copyOf(externalServers);
    }

    /** Settings with the simulated GPU hosts (no external inference servers). */
    public LocalSettings(Path dataDir, int postgresPort, int kafkaPort, int neo4jBoltPort, boolean randomServicePorts) {
        this(dataDir, postgresPort, kafkaPort, neo4jBoltPort, randomServicePorts, List.of());
    }

    /** Whether the platform runs simulated GPU hosts (no real inference server was given). */
    public boolean simulatedHosts() {
        return externalServers.isEmpty();
    }

    public static LocalSettings fromEnvironment(Map<String, String> env) {
        return new LocalSettings(
                Path.of(env.getOrDefault("SOVEREIGN_DATA_DIR", "data"))
                        .toAbsolutePath()
                        .normalize(),
                port(env, "SOVEREIGN_POSTGRES_PORT", 5432),
                port(env, "SOVEREIGN_KAFKA_PORT", 9092),
                port(env, "SOVEREIGN_NEO4J_BOLT_PORT", 7687),
                Boolean.parseBoolean(env.getOrDefault("SOVEREIGN_RANDOM_SERVICE_PORTS", "false")
                        .trim()),
                externalServers(env));
    }

    private static List<InferenceServer> externalServers(Map<String, String> env) {
        List<InferenceServer> servers = new ArrayList<>(
                InferenceServer.parseList("SOVEREIGN_OLLAMA_URLS", env.get("SOVEREIGN_OLLAMA_URLS"), "ollama"));
        servers.addAll(InferenceServer.parseList("SOVEREIGN_OPENAI_URLS", env.get("SOVEREIGN_OPENAI_URLS"), "openai"));
        return servers;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (got '" + value + "')");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535 (got " + port + ")");
        }
    }
}
