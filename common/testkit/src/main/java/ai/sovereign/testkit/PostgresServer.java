package ai.sovereign.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from {@code io.zonky.test.postgres}) run as a child process on loopback. The
 * data directory is kept between starts when one is given, so the launcher's data survives restarts.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databaseCounter = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL with its data in {@code dataDir} (kept) on {@code port} (0 picks a free port). */
    public static PostgresServer start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(FreePorts.orNext(port))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .start();
            LOG.info("PostgreSQL ready at port {} with data dir {}", postgres.getPort(), dataDir);
            return new PostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Opens a connection to {@code database} as the superuser. */
    public Connection connect(String database) throws SQLException {
        return postgres.getDatabase(USER, database).getConnection();
    }

    /** Creates {@code database} unless it exists and returns its JDBC URL. */
    public String ensureDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "database name must be lower-case letters, digits and '_' (got '" + database + "')");
        }
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            try (ResultSet rs =
                    statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    statement.execute("CREATE DATABASE " + database);
                }
            }
            return jdbcUrl(database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Creates a fresh, uniquely named database (for test isolation) and returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String safePrefix = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (safePrefix.isEmpty() || !Character.isLetter(safePrefix.charAt(0))) {
            safePrefix = "db_" + safePrefix;
        }
        if (safePrefix.length() > 50) {
            safePrefix = safePrefix.substring(0, 50);
        }
        return ensureDatabase(safePrefix + "_" + databaseCounter.incrementAndGet());
    }

    @Override
    public void close() {
        try {
            postgres.close();
            LOG.info("PostgreSQL on port {} stopped", port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
