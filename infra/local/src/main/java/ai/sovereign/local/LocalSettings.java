package ai.sovereign.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the all-in-one keeps its data and which ports its embedded servers use, from environment variables:
 * {@code SOVEREIGN_DATA_DIR} (default {@code ./data}), {@code SOVEREIGN_POSTGRES_PORT} (5432),
 * {@code SOVEREIGN_KAFKA_PORT} (9092), {@code SOVEREIGN_NEO4J_BOLT_PORT} (7687). Port 0 picks a free port. The
 * services listen on their default ports (8080, 5100, ...) unless {@code randomServicePorts} (tests).
 */
public record LocalSettings(Path dataDir, int postgresPort, int kafkaPort, int neo4jBoltPort, boolean randomServicePorts) {

    public static final String DATABASE = "sovereign";

    public LocalSettings {
        checkPort("SOVEREIGN_POSTGRES_PORT", postgresPort);
        checkPort("SOVEREIGN_KAFKA_PORT", kafkaPort);
        checkPort("SOVEREIGN_NEO4J_BOLT_PORT", neo4jBoltPort);
    }

    public static LocalSettings fromEnvironment(Map<String, String> env) {
        return new LocalSettings(
                Path.of(env.getOrDefault("SOVEREIGN_DATA_DIR", "data")).toAbsolutePath().normalize(),
                port(env, "SOVEREIGN_POSTGRES_PORT", 5432),
                port(env, "SOVEREIGN_KAFKA_PORT", 9092),
                port(env, "SOVEREIGN_NEO4J_BOLT_PORT", 7687),
                false);
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
