package ai.sovereign.router;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A router on real PostgreSQL and Kafka in front of llm-simulator instances, with HTTP helpers for the data and
 * control planes. The routing config starts from a bootstrap file (fast health checks and recovery tests).
 */
final class RouterHarness implements AutoCloseable {

    static final String MODEL = "llama3.1:8b";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final List<LlmSimulator> simulators = new ArrayList<>();
    final EmbeddedServer server;
    final ApplicationContext context;
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String adminToken;
    /** The gateway's token for an ordinary key (key-test in tenant test), which every inference call carries. */
    final String userToken;

    final Path configDirectory;

    private RouterHarness(List<LlmSimulator> simulators, String document, Map<String, Object> extra) {
        this.simulators.addAll(simulators);
        try {
            configDirectory = Files.createTempDirectory("router-config");
            Path bootstrap = configDirectory.resolve("bootstrap.json");
            Files.writeString(bootstrap, document);
            Map<String, Object> props = new HashMap<>();
            // a database of its own (postgresProperties makes one): the fleet state is shared through it and outlives
            // the router, so routers of different tests must not meet there; replicas of one test pass theirs in extra
            props.putAll(SharedInfrastructure.postgresProperties(DatabaseRoles.ROUTER));
            props.putAll(SharedInfrastructure.kafkaProperties("router"));
            props.put("micronaut.server.port", -1);
            props.put("router.bootstrap-file", bootstrap.toString());
            props.put("router.config-directory", configDirectory.toString());
            props.putAll(extra);
            server = ApplicationContext.run(EmbeddedServer.class, props, "test");
            context = server.getApplicationContext();
            adminToken = token("ops-admin", "_platform", Role.ADMIN);
            userToken = token("key-test", "test", Role.USER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Servers sim-0..sim-n-1 (openai type unless {@code types} says otherwise), each with its own behaviour. */
    static RouterHarness start(
            int maxConcurrency, String settingsJson, List<String> types, ModelBehaviour... behaviours) {
        return start(maxConcurrency, settingsJson, types, Map.of(), behaviours);
    }

    static RouterHarness start(
            int maxConcurrency,
            String settingsJson,
            List<String> types,
            Map<String, Object> extra,
            ModelBehaviour... behaviours) {
        List<LlmSimulator> sims = new ArrayList<>();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < behaviours.length; i++) {
            LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults()
                    .withPort(0)
                    .withDefaultBehaviour(behaviours[i])
                    .withModels(MODEL, "nomic-embed-text", "org/model"));
            sims.add(sim);
            String type = types.isEmpty() ? "openai" : types.get(i % types.size());
            servers.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"sim-")
                    .append(i)
                    .append("\",\"url\":\"")
                    .append(sim.baseUrl())
                    .append("\",\"type\":\"")
                    .append(type)
                    .append("\",\"maxConcurrency\":")
                    .append(maxConcurrency)
                    .append('}');
        }
        String document = "{\"servers\":[" + servers + "]" + (settingsJson.isBlank() ? "" : "," + settingsJson) + "}";
        return new RouterHarness(sims, document, extra);
    }

    /** A router on {@code document} as it is, for servers the test runs itself, with {@code extra} properties. */
    static RouterHarness start(String document, Map<String, Object> extra) {
        return new RouterHarness(List.of(), document, extra);
    }

    /** Fast checks so that tests finish in seconds. */
    static String fastSettings() {
        return "\"health\":{\"intervalMs\":200,\"timeoutMs\":500},"
                + "\"recovery\":{\"intervalMs\":200,\"timeoutMs\":1000,\"banAfterFailures\":1000,\"banDurationMs\":60000,\"historySize\":200},"
                + "\"circuitBreaker\":{\"failureThreshold\":0.5,\"minRequests\":3,\"windowMs\":10000,\"recoveryTimeoutMs\":60000,\"halfOpenProbes\":1},"
                + "\"retry\":{\"maxAttempts\":3,\"firstByteTimeoutMs\":5000,\"streamIdleTimeoutMs\":5000}";
    }

    /** A token the gateway would send for key {@code keyId} of {@code tenant} (the development keys: dev mode). */
    static String token(String keyId, String tenant, Role role) {
        return ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC())
                .issue("router", keyId, tenant, role, Duration.ofHours(1));
    }

    URI uri(String path) {
        return server.getURI().resolve(path);
    }

    static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
    }

    /** POSTs {@code body} with the user token, unless {@code headers} carry an {@code X-Sovereign-Token} of their own. */
    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        boolean ownToken = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            ownToken |= "X-Sovereign-Token".equalsIgnoreCase(headers[i]);
        }
        if (!ownToken) {
            b.header("X-Sovereign-Token", userToken);
        }
        return send(b.build());
    }

    /** POSTs {@code body} with no service token at all. */
    HttpResponse<String> postWithoutToken(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<Stream<String>> postStreaming(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Sovereign-Token", userToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/orchestrator/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Sovereign-Token", adminToken)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    JsonNode adminJson(String method, String path, String body) {
        HttpResponse<String> response = admin(method, path, body);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether every server is healthy and holds the model. */
    boolean fleetReady() {
        JsonNode servers = adminJson("GET", "servers", null).path("servers");
        for (JsonNode s : servers) {
            if (!s.path("healthy").asBoolean() || !s.path("models").toString().contains(MODEL)) {
                return false;
            }
        }
        return servers.size() > 0;
    }

    @Override
    public void close() {
        server.close();
        simulators.forEach(LlmSimulator::close);
        http.close();
    }
}
