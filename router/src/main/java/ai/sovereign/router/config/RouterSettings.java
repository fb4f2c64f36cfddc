package ai.sovereign.router.config;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The router's start-up settings (the routing configuration itself is versioned in PostgreSQL):
 * {@code router.bootstrap-file} ({@code ROUTER_BOOTSTRAP_FILE}) seeds version 1 when the store is empty;
 * {@code router.config-directory} ({@code ROUTER_CONFIG_DIRECTORY}) is the only directory config/reload and
 * config/save may touch; {@code router.version} is reported by the health endpoint.
 */
@Singleton
public record RouterSettings(
        @Value("${router.bootstrap-file:}") String bootstrapFile,
        @Value("${router.config-directory:.}") String configDirectory,
        @Value("${router.version:0.1.0-SNAPSHOT}") String version) {

    public RouterSettings {
        if (configDirectory.isBlank()) {
            throw new IllegalArgumentException("router.config-directory must name a directory (got an empty value)");
        }
    }
}
