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
 * data directory is kept between starts when one is given, so the launcher's data survives restarts. Started with a
 * superuser password, every connection must log in with SCRAM-SHA-256; started without one (the shared test server),
 * any local client may log in as any role without a password, as initdb leaves it.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    public static final String USER = DatabaseRoles.SUPERUSER;
    /** In a data directory whose superuser has a password and whose clients must log in with it. */
    static final String PASSWORD_MARKER = "sovereign-password-login";

    private static final String PASSWORD_LOGIN_HBA = """
            # written by the platform at every start (PostgresServer): every login needs its password
            local all all scram-sha-256
            %1$s  all all 127.0.0.1/32 scram-sha-256
            %1$s  all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final String superuserPassword;
    private final AtomicInteger databaseCounter = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres postgres, String superuserPassword) {
        this.postgres = postgres;
        this.superuserPassword = superuserPassword;
    }

    /**
     * Starts PostgreSQL with its data in {@code dataDir} (kept) on {@code port} (0 picks a free port), every local
     * client trusted.
     */
    public static PostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /**
     * Starts PostgreSQL as {@link #start(Path, int)} does; with a {@code superuserPassword}, the superuser gets it (at
     * the first such start of a data directory) and every client must log in with its password from then on.
     */
    public static PostgresServer start(Path dataDir, int port, String superuserPassword) {
        return start(dataDir, port, superuserPassword, null);
    }

    /**
     * Starts PostgreSQL as {@link #start(Path, int, String)} does; with {@code tls} (which needs a superuser password)
     * it serves TLS with that key and certificate and takes no connection without it ({@code hostssl} lines only).
     */
    public static PostgresServer start(
            Path dataDir, int port, String superuserPassword, TestCertificates.ServerTls tls) {
        if (tls != null && superuserPassword == null) {
            throw new IllegalArgumentException("a PostgreSQL with TLS needs a superuser password");
        }
        try {
            Files.createDirectories(dataDir);
            Path marker = dataDir.resolve(PASSWORD_MARKER);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(FreePorts.orNext(port))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on");
            String hostLines = tls == null ? "host" : "hostssl";
            if (tls != null) {
                builder.setServerConfig("ssl", "on")
                        .setServerConfig(
                                "ssl_cert_file",
                                tls.certificate().toAbsolutePath().toString())
                        .setServerConfig(
                                "ssl_key_file",
                                tls.privateKey().toAbsolutePath().toString())
                        .setConnectConfig("sslmode", "require");
            }
            if (superuserPassword != null) {
                builder.setConnectConfig("password", superuserPassword);
                builder.setDataDirectoryCustomizer(dir -> {
                    if (Files.exists(marker)) {
                        writeHba(dir.toPath(), hostLines);
                    }
                });
            }
            EmbeddedPostgres postgres = builder.start();
            PostgresServer server = new PostgresServer(postgres, superuserPassword);
            if (superuserPassword != null && !Files.exists(marker)) {
                server.requirePasswords(dataDir, marker, hostLines);
            }
            LOG.info("PostgreSQL ready at port {} with data dir {}", postgres.getPort(), dataDir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The first start with a password: give the superuser its password, then ask every client for one. */
    private void requirePasswords(Path dataDir, Path marker, String hostLines) throws IOException {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + USER + " WITH PASSWORD '" + superuserPassword.replace("'", "''") + "'");
            writeHba(dataDir, hostLines);
            statement.execute("SELECT pg_reload_conf()");
            Files.writeString(marker, "every client of this server logs in with a password (pg_hba.conf)\n");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not give the PostgreSQL superuser its password: " + e.getMessage(), e);
        }
    }

    private static void writeHba(Path dataDir, String hostLines) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), PASSWORD_LOGIN_HBA.formatted(hostLines));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dataDir.resolve("pg_hba.conf"), e);
        }
    }

    /** Creates every login of {@link DatabaseRoles} or brings it to {@code credentials}' password. */
    public void createRoles(DatabaseCredentials credentials) {
        try (Connection connection = connect("postgres")) {
            DatabaseRoles.createRoles(connection, credentials);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the platform's database roles: " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code database} unless it exists, with every service's schema owned by its owner and connections
     * limited to the platform's logins ({@link DatabaseRoles#databaseStatements}); the roles must exist.
     */
    public String ensureServiceDatabase(String database) {
        String url = ensureDatabase(database);
        prepareForServices(database);
        return url;
    }

    /** A fresh database prepared as {@link #ensureServiceDatabase(String)} does (for test isolation). */
    public String newServiceDatabase(String prefix) {
        String url = newDatabase(prefix);
        prepareForServices(url.substring(url.lastIndexOf('/') + 1));
        return url;
    }

    private void prepareForServices(String database) {
        try (Connection connection = connect(database)) {
            DatabaseRoles.prepareDatabase(connection, database);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not prepare database " + database + " for the services: " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The superuser's password, or null when clients are trusted without one. */
    public String superuserPassword() {
        return superuserPassword;
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
