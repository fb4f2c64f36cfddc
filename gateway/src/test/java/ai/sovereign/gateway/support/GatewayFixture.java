package ai.sovereign.gateway.support;

import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway started on the real PostgreSQL and Kafka of the test kit, with an llm-simulator standing in for the
 * router (both speak the OpenAI dialect), a known bootstrap admin key, and a JDK HTTP client to call it.
 */
public final class GatewayFixture implements AutoCloseable {

    public static final String ADMIN_KEY = "sk-test-bootstrap-admin-key-0123456789";
    public static final String CHAT_MODEL = "llama3.1:8b";
    public static final String EMBED_MODEL = "nomic-embed-text";
    public static final JsonMapper JSON = JsonMapper.builder().build();

    public final LlmSimulator simulator;
    public final EmbeddedServer server;
    public final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Object> properties;

    private GatewayFixture(LlmSimulator simulator, EmbeddedServer server, Map<String, Object> properties) {
        this.simulator = simulator;
        this.server = server;
        this.properties = properties;
    }

    public static GatewayFixture start(Map<String, Object> extra) {
        LlmSimulator simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(12))
                .withModels(CHAT_MODEL, EMBED_MODEL, "qwen2.5:7b"));
        Map<String, Object> props = new HashMap<>();
        props.putAll(SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY));
        props.putAll(SharedInfrastructure.kafkaProperties("gateway"));
        props.put("gateway.upstreams.router", simulator.baseUrl());
        props.put("sovereign.bootstrap.admin-key", ADMIN_KEY);
        props.put("micronaut.server.port", -1);
        props.putAll(extra);
        return new GatewayFixture(simulator, ApplicationContext.run(EmbeddedServer.class, props, "test"), props);
    }

    public static GatewayFixture start() {
        return start(Map.of());
    }

    /**
     * Waits, if need be, until the current UTC minute has at least {@code seconds} left, so that a test of per-minute
     * limits runs within one minute.
     */
    public static void awaitMinuteWithSecondsLeft(int seconds) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(61))
                .until(() ->
                        java.time.Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond() < 60 - seconds);
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public URI uri(String path) {
        return server.getURI().resolve(path);
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    /** A key made through the admin API: its id and its secret. */
    public record Key(String id, String secret, JsonNode body) {}

    public Key createKey(String json) {
        Reply reply = send("POST", "/admin/keys", ADMIN_KEY, json);
        if (reply.status() != 201) {
            throw new AssertionError("key creation failed: " + reply.status() + " " + reply.body());
        }
        return new Key(
                reply.json().get("id").stringValue(), reply.json().get("key").stringValue(), reply.json());
    }

    /** A response read whole. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply send(String method, String path, String key, String body) {
        return send(method, path, key, body == null ? null : body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public Reply send(String method, String path, String key, byte[] body, Map<String, String> headers) {
        return send(
                method,
                path,
                key,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body),
                body != null,
                headers);
    }

    /** {@code body} sent chunked (no Content-Length), which the fast lane leaves to the ordinary path. */
    public Reply sendChunked(String method, String path, String key, String body) {
        return send(
                method,
                path,
                key,
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)),
                true,
                Map.of());
    }

    private Reply send(
            String method,
            String path,
            String key,
            HttpRequest.BodyPublisher publisher,
            boolean hasBody,
            Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, publisher);
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        if (hasBody && !headers.containsKey("Content-Type")) {
            builder.header("Content-Type", "application/json");
        }
        headers.forEach(builder::header);
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a streamed response and returns it once the headers are in. */
    public HttpResponse<InputStream> open(String path, String key, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
        simulator.close();
        http.close();
    }
}
