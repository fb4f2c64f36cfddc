package ai.sovereign.runtime.postgres;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Where the service's PostgreSQL is ({@code datasources.default.url}, {@code DATASOURCES_DEFAULT_URL}) and which
 * schema it owns ({@code postgres.schema}). The pool itself is micronaut-jdbc-hikari's, configured under
 * {@code datasources.default.*}, and its schema is migrated by micronaut-flyway before anything can use it.
 */
@Singleton
@Requires(property = "datasources.default.url")
public record PostgresSettings(
        @Value("${datasources.default.url}") String url,
        @Value("${postgres.schema}") String schema) {

    public PostgresSettings {
        if (!schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("postgres.schema must be a lower-case SQL identifier (got '" + schema + "')");
        }
    }
}
