package ai.sovereign.audit.support;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One audit-service on the shared PostgreSQL and Kafka, started as its own application context on a free port, with
 * its own database, topics, consumer group and data directory, so that it can be stopped (closing the context, as a
 * crash or a redeploy would) and started again on the same state.
 */
public final class AuditService implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String auditorToken;

    private AuditService(Settings settings, ApplicationContext context) {
        this.settings = settings;
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.auditorToken = token(Role.AUDITOR);
    }

    /** What survives a restart: the database, the topics, the group and the data directory. */
    public record Settings(String jdbcUrl, TestTopics topics, String groupId, Path dataDir, Map<String, Object> extra) {

        /** A fresh database named after {@code prefix}, fresh topics and group, {@code dataDir} for the files. */
        public static Settings fresh(String prefix, int partitions, Path dataDir) {
            String url = SharedInfrastructure.postgres().newServiceDatabase(prefix);
            return new Settings(
                    url,
                    TestTopics.create(prefix, partitions),
                    "audit-service-" + prefix + "-" + System.nanoTime(),
                    dataDir,
                    Map.of());
        }

        public Settings with(String key, Object value) {
            Map<String, Object> more = new HashMap<>(extra);
            more.put(key, value);
            return new Settings(jdbcUrl, topics, groupId, dataDir, Map.copyOf(more));
        }
    }

    public static AuditService start(Settings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        // as in production: the audit login, migrations as the schema's owner
        props.putAll(SharedInfrastructure.postgresProperties(DatabaseRoles.AUDIT, settings.jdbcUrl()));
        props.putAll(SharedInfrastructure.kafkaProperties("audit-service"));
        props.put("audit.consumer.audit-topic", settings.topics().audit());
        props.put("audit.consumer.usage-topic", settings.topics().usage());
        props.put("audit.consumer.group-id", settings.groupId());
        props.put("audit.consumer.poll-timeout", "100ms");
        props.put("audit.data-dir", settings.dataDir().toString());
        props.put("audit.checkpoint.interval", "1h");
        props.put("audit.verify.initial-delay", "1h");
        props.put("endpoints.health.disk-space.path", settings.dataDir().toString());
        props.putAll(settings.extra());
        ApplicationContext context = ApplicationContext.builder()
                .properties(props)
                .environments("test")
                .start();
        try {
            context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return new AuditService(settings, context);
    }

    /** Stops the service the way a shutdown does: the consumer stops after the batch in hand, the pool closes. */
    @Override
    public void close() {
        context.close();
    }

    public ApplicationContext context() {
        return context;
    }

    public Settings settings() {
        return settings;
    }

    public URI uri() {
        return server.getURI();
    }

    /** A service token for {@code role}, as the gateway would issue it. */
    public String token(Role role) {
        return ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC())
                .issue("audit-service", "test-" + role.wireName(), "_platform", role, Duration.ofMinutes(30));
    }

    /** GET {@code pathAndQuery} as an auditor. */
    public HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, auditorToken);
    }

    public HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("X-Sovereign-Token", token);
        }
        return send(request.GET().build());
    }

    public HttpResponse<String> post(String path, String json) {
        return post(path, json, auditorToken);
    }

    public HttpResponse<String> post(String path, String json, String token) {
        return send(HttpRequest.newBuilder(uri().resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Sovereign-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** Streams GET {@code pathAndQuery} as an auditor and counts the lines of the body, without holding it. */
    public long countLines(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(uri().resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(120))
                .header("X-Sovereign-Token", auditorToken)
                .GET()
                .build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response =
                    http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode());
            }
            try (java.util.stream.Stream<String> lines = response.body()) {
                return lines.count();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET as an auditor, expecting 200, parsed. */
    public JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A superuser connection to the service's database, on the audit schema (for counting and for tampering). */
    public Connection superuser() throws SQLException {
        Connection connection = DriverManager.getConnection(settings.jdbcUrl(), PostgresServer.USER, "");
        connection.setSchema("audit");
        return connection;
    }

    /** A single number from {@code sql} on the audit schema. */
    public long count(String sql) {
        try (Connection c = superuser();
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
