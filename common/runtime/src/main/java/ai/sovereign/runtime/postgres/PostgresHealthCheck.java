package ai.sovereign.runtime.postgres;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** PostgreSQL is UP when a pooled connection answers within two seconds. */
@Singleton
@Requires(beans = {DataSource.class, PostgresSettings.class})
public class PostgresHealthCheck implements HealthCheck {

    private final DataSource dataSource;
    private final PostgresSettings settings;
    private final String url;

    // datasources.default.url is micronaut-jdbc-hikari's setting (its pool reads it); shown here, not owned here
    public PostgresHealthCheck(
            DataSource dataSource, PostgresSettings settings, @Value("${datasources.default.url}") String url) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.url = url;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", url);
        details.put("schema", settings.schema());
        try (Connection connection = dataSource.getConnection()) {
            boolean valid = connection.isValid(2);
            details.put("version", connection.getMetaData().getDatabaseProductVersion());
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                details.put(
                        "activeConnections",
                        dataSource
                                .unwrap(HikariDataSource.class)
                                .getHikariPoolMXBean()
                                .getActiveConnections());
            }
            return valid ? CheckResult.up(details) : CheckResult.down(details);
        } catch (SQLException e) {
            details.put("error", e.getMessage());
            return CheckResult.down(details);
        }
    }
}
