package ai.sovereign.runtime.postgres;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Where the service's PostgreSQL is and which schema it owns: {@code datasources.default.url|username|password}
 * ({@code DATASOURCES_DEFAULT_URL}, ...), {@code datasources.default.maximum-pool-size}, and {@code postgres.schema}.
 */
@Singleton
public record PostgresSettings(
        @Value("${datasources.default.url}") String url,
        @Value("${datasources.default.username:postgres}") String username,
        @Value("${datasources.default.password:}") String password,
        @Value("${datasources.default.maximum-pool-size:10}") int maximumPoolSize,
        @Value("${postgres.schema}") String schema) {

    public PostgresSettings {
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("datasources.default.maximum-pool-size must be >= 1 (got " + maximumPoolSize + ")");
        }
        if (!schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("postgres.schema must be a lower-case SQL identifier (got '" + schema + "')");
        }
    }
}
