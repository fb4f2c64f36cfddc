package ai.sovereign.local;

import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.KafkaBroker;
import ai.sovereign.testkit.KafkaCredentials;
import ai.sovereign.testkit.Neo4jServer;
import ai.sovereign.testkit.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default, started in dependency order and stopped in reverse: PostgreSQL (database
 * {@value LocalSettings#DATABASE}), Kafka in KRaft mode and Neo4j, each with its data under the data directory. Both
 * run as in production: PostgreSQL with one login per service (DatabaseRoles) and every login's password required,
 * the passwords in {@code keys/postgres.env}; Kafka with SASL/SCRAM logins, the passwords in {@code keys/kafka.env},
 * and the platform's ACLs.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final PostgresServer postgres;
    private final DatabaseCredentials databaseCredentials;
    private final String managementToken;
    private final KafkaBroker kafka;
    private final Neo4jServer neo4j;

    private EmbeddedPlatform(LocalSettings settings) throws IOException {
        running.push(DataDirectoryLock.acquire(settings.dataDir()));
        try {
            Path keys = settings.dataDir().resolve("keys");
            databaseCredentials = DatabaseCredentials.of(PasswordsFile.POSTGRES.loadOrGenerate(keys));
            managementToken = PasswordsFile.MANAGEMENT.loadOrGenerate(keys).get("management");
            postgres = push(PostgresServer.start(
                    settings.dataDir().resolve("postgres"),
                    settings.postgresPort(),
                    databaseCredentials.password(PostgresServer.USER)));
            postgres.createRoles(databaseCredentials);
            postgres.ensureServiceDatabase(LocalSettings.DATABASE);
            kafka = push(KafkaBroker.start(
                    settings.dataDir().resolve("kafka"),
                    settings.kafkaPort(),
                    KafkaCredentials.of(PasswordsFile.KAFKA.loadOrGenerate(keys)),
                    List.of()));
            neo4j = push(Neo4jServer.start(settings.dataDir().resolve("neo4j"), settings.neo4jBoltPort()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts everything; throws {@link DataDirectoryLock.AlreadyRunningException} if the data directory is in use. */
    public static EmbeddedPlatform start(LocalSettings settings) throws IOException {
        return new EmbeddedPlatform(settings);
    }

    private <T extends AutoCloseable> T push(T resource) {
        running.push(resource);
        return resource;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** What reads the services' {@code /metrics} and {@code /health} details (keys/management.env). */
    public String managementToken() {
        return managementToken;
    }

    /** The passwords of the database logins (keys/postgres.env). */
    public DatabaseCredentials databaseCredentials() {
        return databaseCredentials;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public Neo4jServer neo4j() {
        return neo4j;
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable resource = running.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", resource.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
