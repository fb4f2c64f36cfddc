package ai.sovereign.audit.store;

import ai.sovereign.runtime.postgres.PostgresSettings;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Connections to the service's schema. The shared pool does not set a search path, so every connection handed out
 * here is switched to the {@code audit} schema first (the pool resets it when the connection is returned), and the
 * SQL in this service names its tables unqualified.
 */
@Singleton
public final class AuditDatabase {

    private final DataSource dataSource;
    private final String schema;

    public AuditDatabase(DataSource dataSource, PostgresSettings settings) {
        this(dataSource, settings.schema());
    }

    /** For programs outside the application context (the benchmark). */
    public AuditDatabase(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** A pooled connection on the audit schema, in auto-commit mode; close it to return it. */
    public Connection connect() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setSchema(schema);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    public String schema() {
        return schema;
    }
}
