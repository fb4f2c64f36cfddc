package ai.sovereign.testkit;

import ai.sovereign.events.KafkaAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The real servers tests run against, each started lazily and at most once per JVM, shared by every test class in
 * that JVM and stopped when the JVM exits. Static by necessity: JUnit creates test classes independently, and the
 * point is that they share one broker, one PostgreSQL and one Neo4j.
 */
public final class SharedInfrastructure {

    /** The servers the kit can start. */
    public enum Server {
        KAFKA,
        POSTGRES,
        NEO4J
    }

    private static final Map<Server, AutoCloseable> RUNNING = new ConcurrentHashMap<>();
    private static final Map<Server, AtomicInteger> STARTS = new ConcurrentHashMap<>();
    private static final Path ROOT = createRoot();
    private static final DatabaseCredentials DATABASE_CREDENTIALS = DatabaseCredentials.generate();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedInfrastructure::stopAll, "testkit-shutdown"));
    }

    private SharedInfrastructure() {}

    /**
     * Topics whose names start with this are a test's own (e.g. an audit test's private audit topic): on the shared
     * broker every service principal may read, write and create them, on top of what {@link KafkaAccess} grants.
     */
    public static final String PRIVATE_TOPIC_PREFIX = "test.";

    public static KafkaBroker kafka() {
        return get(Server.KAFKA, dir -> KafkaBroker.start(dir, 0, KafkaCredentials.generate(), privateTopicGrants()));
    }

    private static List<AclBinding> privateTopicGrants() {
        List<AclBinding> grants = new ArrayList<>();
        for (KafkaAccess access : KafkaAccess.SERVICES) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE)) {
                grants.add(access.allow(ResourceType.TOPIC, PRIVATE_TOPIC_PREFIX, PatternType.PREFIXED, operation));
            }
        }
        return grants;
    }

    /** The shared PostgreSQL, with every login of {@link DatabaseRoles} created (passwords: {@link #databaseCredentials}). */
    public static PostgresServer postgres() {
        return get(Server.POSTGRES, dir -> {
            PostgresServer postgres = PostgresServer.start(dir, 0);
            postgres.createRoles(DATABASE_CREDENTIALS);
            return postgres;
        });
    }

    /** The passwords of the shared PostgreSQL's logins (it trusts local clients, so tests need not send them). */
    public static DatabaseCredentials databaseCredentials() {
        return DATABASE_CREDENTIALS;
    }

    public static Neo4jServer neo4j() {
        return get(Server.NEO4J, dir -> Neo4jServer.start(dir, 0));
    }

    /** How many times {@code server} was started in this JVM: 0 or 1 unless the kit is broken. */
    public static int starts(Server server) {
        return STARTS.computeIfAbsent(server, s -> new AtomicInteger()).get();
    }

    /**
     * Micronaut properties that connect a service to the shared broker as {@code principal}, a service's name from
     * {@link KafkaAccess#SERVICES}, so the service under test has exactly the rights it has in production.
     */
    public static Map<String, String> kafkaProperties(String principal) {
        return kafka().serviceProperties(principal);
    }

    /**
     * Settings for a plain Kafka client on the shared broker logged in as the operator (a super user): what a test
     * uses to publish as another service would, read what a service published, or create its own topics.
     */
    public static Map<String, Object> kafkaOperatorSettings() {
        return kafka().clientSettings(KafkaAccess.ADMIN);
    }

    /** {@link #kafkaOperatorSettings()} and a client's own {@code settings}. */
    public static Map<String, Object> kafkaOperatorSettings(Map<String, ?> settings) {
        Map<String, Object> merged = new LinkedHashMap<>(kafkaOperatorSettings());
        merged.putAll(settings);
        return merged;
    }

    /**
     * Micronaut properties that connect {@code service} as its own login ({@link DatabaseRoles}) to a fresh database of
     * the shared PostgreSQL, prepared as production's is, so that test classes never see each other's rows and the
     * service has exactly the rights it has in production.
     */
    public static Map<String, Object> postgresProperties(DatabaseRoles.Service service) {
        return postgresProperties(service, postgres().newServiceDatabase(service.schema()));
    }

    /** {@link #postgresProperties(DatabaseRoles.Service)} on the database at {@code jdbcUrl}, prepared for services. */
    public static Map<String, Object> postgresProperties(DatabaseRoles.Service service, String jdbcUrl) {
        Map<String, Object> props = new LinkedHashMap<>(DATABASE_CREDENTIALS.serviceProperties(service, jdbcUrl));
        props.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        return props;
    }

    /** Micronaut properties pointing the Neo4j driver at the shared Neo4j. */
    public static Map<String, Object> neo4jProperties() {
        return Map.of("neo4j.uri", neo4j().boltUri());
    }

    @SuppressWarnings("unchecked")
    private static synchronized <T extends AutoCloseable> T get(Server server, Function<Path, T> starter) {
        AutoCloseable running = RUNNING.get(server);
        if (running == null) {
            Path dir = ROOT.resolve(server.name().toLowerCase(Locale.ROOT));
            running = starter.apply(dir);
            STARTS.computeIfAbsent(server, s -> new AtomicInteger()).incrementAndGet();
            RUNNING.put(server, running);
        }
        return (T) running;
    }

    private static void stopAll() {
        for (Server server : new Server[] {Server.NEO4J, Server.KAFKA, Server.POSTGRES}) {
            AutoCloseable running = RUNNING.remove(server);
            if (running != null) {
                try {
                    running.close();
                } catch (Exception e) {
                    System.err.println("testkit: stopping " + server + " failed: " + e);
                }
            }
        }
        KafkaBroker.deleteQuietly(ROOT);
    }

    private static Path createRoot() {
        try {
            return Files.createTempDirectory("sovereign-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the test kit's temporary directory", e);
        }
    }
}
