package ai.sovereign.runtime.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.neo4j.Neo4jDriverConfig;
import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.KafkaBroker;
import ai.sovereign.testkit.KafkaCredentials;
import ai.sovereign.testkit.Neo4jServer;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.TestCertificates;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * TLS to the three stores, each of its own instance that takes TLS connections only (docs/operations/tls.md): a
 * service's pool, Kafka clients, Neo4j driver and start-up check connect with the settings the operator gives, check
 * the servers' certificates against the given root, and a client without TLS or trusting another root is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreTlsTest {

    @TempDir
    static Path dir;

    private TestCertificates.ServerTls tls;
    private TestCertificates.ServerTls stranger;
    private DatabaseCredentials databaseCredentials;
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private Neo4jServer neo4j;

    @BeforeAll
    void startStoresThatTakeTlsOnly() {
        tls = TestCertificates.serverTls(dir.resolve("tls"), "stores");
        stranger = TestCertificates.serverTls(dir.resolve("stranger"), "stranger");
        databaseCredentials = DatabaseCredentials.generate();
        postgres = PostgresServer.start(
                dir.resolve("postgres"), 0, databaseCredentials.password(DatabaseRoles.SUPERUSER), tls);
        postgres.createRoles(databaseCredentials);
        postgres.ensureServiceDatabase("sovereign");
        kafka = KafkaBroker.start(dir.resolve("kafka"), 0, KafkaCredentials.generate(), List.of(), tls);
        neo4j = Neo4jServer.start(dir.resolve("neo4j"), 0, tls);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable server : new AutoCloseable[] {neo4j, kafka, postgres}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                System.err.println("stopping " + server + " failed: " + e);
            }
        }
    }

    private String jdbcUrl(String query) {
        return "jdbc:postgresql://localhost:" + postgres.port() + "/sovereign?" + query;
    }

    private String verified(TestCertificates.ServerTls root) {
        return jdbcUrl("sslmode=verify-full&sslrootcert=" + root.certificate());
    }

    /** What an operator sets for TLS on every store hop, trusting {@code root}. */
    private Map<String, Object> serviceProperties(TestCertificates.ServerTls root) {
        Map<String, Object> props = new HashMap<>();
        props.putAll(databaseCredentials.serviceProperties(DatabaseRoles.GATEWAY, verified(root)));
        props.put("postgres.schema", DatabaseRoles.GATEWAY.schema());
        props.putAll(kafka.serviceProperties("gateway"));
        props.put("kafka.ssl.truststore.type", "PEM");
        props.put("kafka.ssl.truststore.location", root.certificate().toString());
        props.put("neo4j.uri", "bolt://127.0.0.1:" + neo4j.boltPort());
        props.put("neo4j.trusted-certificate", root.certificate().toString());
        return props;
    }

    @Test
    void aServiceAndItsStartUpCheckReachEveryStoreOverTlsCheckingTheCertificates() throws Exception {
        Map<String, Object> props = serviceProperties(tls);
        props.put("micronaut.server.port", -1);
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(props)
                .environments("test")
                .start()) {
            for (Dependency dependency : List.of(Dependency.POSTGRES, Dependency.KAFKA, Dependency.NEO4J)) {
                assertNull(DependencyProbe.problem(dependency, context.getEnvironment()), dependency.name());
            }
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            if (!server.isRunning()) {
                server.start();
            }
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.getURI() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            JsonNode components =
                    JsonMapper.builder().build().readTree(health.body()).path("details");
            for (String component : List.of("postgres", "kafka", "neo4j")) {
                assertEquals("UP", components.path(component).path("status").asString(), health.body());
            }
        }
    }

    @Test
    void postgresqlRefusesAPlainConnectionAndTheClientRefusesACertificateFromAnotherRoot() {
        String password = databaseCredentials.password("gateway");
        SQLException plain = assertThrows(
                SQLException.class, () -> DriverManager.getConnection(jdbcUrl("sslmode=disable"), "gateway", password));
        assertTrue(plain.getMessage().contains("no encryption"), plain.getMessage());
        SQLException untrusted = assertThrows(
                SQLException.class, () -> DriverManager.getConnection(verified(stranger), "gateway", password));
        assertTrue(untrusted.getMessage().toLowerCase().contains("ssl"), untrusted.getMessage());
    }

    @Test
    void kafkaRefusesAClientWithoutTlsAndTheClientRefusesACertificateFromAnotherRoot() {
        Map<String, Object> plain = new HashMap<>(kafka.clientSettings("gateway"));
        plain.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        assertNotNull(describeClusterFails(plain));

        Map<String, Object> untrusted = new HashMap<>(kafka.clientSettings("gateway"));
        untrusted.put("ssl.truststore.type", "PEM");
        untrusted.put("ssl.truststore.location", stranger.certificate().toString());
        Throwable refused = describeClusterFails(untrusted);
        assertTrue(
                refused instanceof org.apache.kafka.common.errors.SslAuthenticationException, String.valueOf(refused));
    }

    private static Throwable describeClusterFails(Map<String, Object> settings) {
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(settings)) {
            ExecutionException failed = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS));
            return failed.getCause();
        }
    }

    @Test
    void neo4jRefusesADriverWithoutTlsAndTheDriverRefusesACertificateFromAnotherRoot() {
        String uri = "bolt://127.0.0.1:" + neo4j.boltPort();
        Config plain = Config.builder()
                .withoutEncryption()
                .withConnectionTimeout(3, TimeUnit.SECONDS)
                .build();
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.none(), plain)) {
            assertThrows(RuntimeException.class, driver::verifyConnectivity);
        }
        Config untrusted = Neo4jDriverConfig.builder(uri, stranger.certificate().toString())
                .build();
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.none(), untrusted)) {
            assertThrows(RuntimeException.class, driver::verifyConnectivity);
        }
        IllegalArgumentException contradiction = assertThrows(
                IllegalArgumentException.class,
                () -> Neo4jDriverConfig.builder(
                        "bolt+s://127.0.0.1:7687", tls.certificate().toString()));
        assertTrue(contradiction.getMessage().contains("neo4j.trusted-certificate"), contradiction.getMessage());
    }
}
