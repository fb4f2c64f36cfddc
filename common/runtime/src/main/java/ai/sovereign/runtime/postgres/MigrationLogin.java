package ai.sovereign.runtime.postgres;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Runs a service's Flyway migrations as the owner of its schema ({@code postgres.owner.username} and {@code
 * postgres.owner.password}, {@code POSTGRES_OWNER_USERNAME} / {@code POSTGRES_OWNER_PASSWORD}) when its pool logs in
 * as a role that owns nothing: the migration gets its own connection, closed when it ends, and the pool's role never
 * holds the owner's rights. Without those settings the migration runs on the pool, as the pool's role.
 */
@Singleton
@Named("default")
@Requires(property = "postgres.owner.username", pattern = ".+")
final class MigrationLogin implements FlywayConfigurationCustomizer {

    private final String url;
    private final String username;
    private final String password;

    MigrationLogin(
            @Property(name = "datasources.default.url") String url,
            @Property(name = "postgres.owner.username") String username,
            @Property(name = "postgres.owner.password", defaultValue = "") String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    @Override
    public void customizeFluentConfiguration(FluentConfiguration configuration) {
        configuration.dataSource(url, username, password);
    }

    @Override
    public String getName() {
        return "default";
    }
}
