package ai.sovereign.runtime.postgres;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code postgres.schema}: the schema the service owns, for services with a PostgreSQL
 * ({@code datasources.default.url}, {@code DATASOURCES_DEFAULT_URL}). The pool itself is micronaut-jdbc-hikari's,
 * configured under {@code datasources.default.*}, and its schema is migrated by micronaut-flyway before anything can
 * use it.
 */
@ConfigurationProperties("postgres")
@Requires(property = "datasources.default.url")
public record PostgresSettings(@Nullable String schema) {

    public PostgresSettings {
        if (schema == null || !schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "postgres.schema must be a lower-case SQL identifier (got '" + schema + "')");
        }
    }
}
