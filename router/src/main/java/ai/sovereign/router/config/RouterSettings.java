package ai.sovereign.router.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The router's start-up settings (the routing configuration itself is versioned in PostgreSQL).
 *
 * @param bootstrapFile   {@code router.bootstrap-file} ({@code ROUTER_BOOTSTRAP_FILE}): seeds version 1 when the store
 *                        is empty; empty for none
 * @param configDirectory {@code router.config-directory} ({@code ROUTER_CONFIG_DIRECTORY}): the only directory
 *                        config/reload and config/save may touch
 * @param version         {@code router.version}: reported by the health endpoint
 */
@ConfigurationProperties("router")
public record RouterSettings(
        @Nullable String bootstrapFile,
        @Bindable(defaultValue = ".") String configDirectory,
        @Bindable(defaultValue = "0.1.0-SNAPSHOT") String version) {

    public RouterSettings {
        bootstrapFile = bootstrapFile == null ? "" : bootstrapFile;
        if (configDirectory == null || configDirectory.isBlank()) {
            throw new IllegalArgumentException("router.config-directory must name a directory (got an empty value)");
        }
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException(
                    "router.version must not be empty (it is reported by the health endpoint)");
        }
    }
}
