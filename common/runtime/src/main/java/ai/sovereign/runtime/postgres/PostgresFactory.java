package ai.sovereign.runtime.postgres;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's connection pool, created at start-up with the service's own schema migrated by Flyway from
 * {@code classpath:db/migration} before anything else can use it.
 */
@Factory
@Requires(classes = HikariDataSource.class)
@Requires(property = "datasources.default.url")
public class PostgresFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresFactory.class);

    @Context
    @Bean(preDestroy = "close")
    HikariDataSource dataSource(PostgresSettings settings, MeterRegistry meterRegistry, ApplicationContext context) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(settings.schema());
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setConnectionTimeout(5_000);
        config.setMetricRegistry(meterRegistry);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource, settings.schema(), context.getClassLoader());
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** Migrations come from the service's own class loader, which differs from this class's in the all-in-one. */
    private static void migrate(DataSource dataSource, String schema, ClassLoader serviceClassLoader) {
        var result = Flyway.configure(serviceClassLoader)
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("schema {} migrated: {} migration(s) applied, now at version {}", schema, result.migrationsExecuted,
                result.targetSchemaVersion == null ? "-" : result.targetSchemaVersion);
    }
}
