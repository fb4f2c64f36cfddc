package ai.sovereign.backup.support;

import ai.sovereign.runtime.security.PlatformKeys;
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
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One backup-service on the shared PostgreSQL (its own database), Neo4j and Kafka, started as its own application
 * context on a free port with its own backup root, called over HTTP with an admin service token.
 */
public final class BackupService implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    /** A fixed 256-bit test key (base64). */
    public static final String KEY = "q83vEjRWeJC6ze8SNFZ4kLrN7xI0VniQus3vEjRWeJA=";

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final String jdbcUrl;
    private final Path root;
    private final HttpClient http = HttpClient.newHttpClient();

    private BackupService(ApplicationContext context, String jdbcUrl, Path root) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.jdbcUrl = jdbcUrl;
        this.root = root;
    }

    public static BackupService start(String jdbcUrl, Path root, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        // as in production: the backup login, no superuser (the database must come from newServiceDatabase)
        props.putAll(SharedInfrastructure.postgresProperties(DatabaseRoles.BACKUP, jdbcUrl));
        props.putAll(SharedInfrastructure.kafkaProperties("backup-service"));
        props.putAll(SharedInfrastructure.neo4jProperties());
        props.put("backup.root", root.toString());
        props.put("endpoints.health.disk-space.path", root.toString());
        props.putAll(extra);
        ApplicationContext context = ApplicationContext.builder()
                .properties(props)
                .environments("test")
                .start();
        try {
            if (!context.getBean(EmbeddedServer.class).isRunning()) {
                context.getBean(EmbeddedServer.class).start();
            }
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        return new BackupService(context, jdbcUrl, root);
    }

    public ApplicationContext context() {
        return context;
    }

    public Path root() {
        return root;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
    }

    public String token(Role role) {
        String trusted = context.getProperty("sovereign.security.trusted-keys", String.class)
                .orElse("");
        ServiceTokenSigner gateway = trusted.isBlank()
                ? ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC())
                : PlatformKeys.loadOrGenerate(Path.of(trusted).getParent())
                        .signer("gateway", java.util.List.of("backup-service"), java.time.Clock.systemUTC());
        return gateway.issue("backup-service", "test-" + role.wireName(), "_platform", role, Duration.ofHours(1));
    }

    /** Status and parsed JSON body. */
    public record Reply(int status, JsonNode body) {}

    public Reply call(String method, String path, String body) {
        return call(method, path, body, token(Role.ADMIN));
    }

    public Reply call(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURI() + path))
                .timeout(Duration.ofSeconds(120))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("X-Sovereign-Token", token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Reply(
                    response.statusCode(),
                    text == null || text.isBlank() || !(text.startsWith("{") || text.startsWith("["))
                            ? JSON.createObjectNode()
                            : JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String metrics() {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(server.getURI() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a backup and waits until it is no longer running; returns its final view. */
    public JsonNode backup(String body) {
        Reply started = call("POST", "/api/v1/backups", body);
        if (started.status() != 202) {
            throw new AssertionError("backup did not start: " + started);
        }
        return awaitFinished(started.body().get("id").asString());
    }

    public JsonNode awaitFinished(String id) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = call("GET", "/api/v1/backups/" + id, null).body();
                    return !"running".equals(last[0].get("status").asString());
                });
        return last[0];
    }

    @Override
    public void close() {
        context.close();
    }
}
