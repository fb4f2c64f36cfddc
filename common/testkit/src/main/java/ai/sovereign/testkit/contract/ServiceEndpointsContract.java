package ai.sovereign.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What every service of the platform answers over HTTP, checked against a running instance: {@code /health}
 * (micronaut-management) with a component per dependency, {@code /metrics} in Prometheus text with JVM, HTTP server and Kafka client metrics, a
 * request id on every response, and OpenAI-style error bodies for unknown routes. A service's test extends this,
 * starts the application and says where it listens and which components it must report.
 */
public abstract class ServiceEndpointsContract {

    /**
     * The management token the contract reads {@code /metrics} and {@code /health} details with: a service tested
     * outside development mode sets {@code sovereign.management.token} to it.
     */
    public static final String MANAGEMENT_TOKEN = "contract-management-token-0123456789abcdef";

    private final HttpClient http = HttpClient.newHttpClient();

    /** Base URI of the running service. */
    protected abstract URI baseUri();

    /** Health components the service must report, e.g. {@code postgres}, {@code kafka}. */
    protected abstract List<String> expectedHealthComponents();

    protected HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Authorization", "Bearer " + MANAGEMENT_TOKEN)
                .GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpWithOneComponentPerDependencyAndItsDetails() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(
                response.body().startsWith("{\"name\":\"" + serviceName() + "\",\"status\":\"UP\""), response.body());
        for (String component : expectedHealthComponents()) {
            assertTrue(
                    Pattern.compile("\"" + Pattern.quote(component)
                                    + "\":\\{\"name\":\"[^\"]*\",\"status\":\"UP\",\"details\":\\{")
                            .matcher(response.body())
                            .find(),
                    "component " + component + " missing or not UP in " + response.body());
        }
    }

    @Test
    void metricsAreInPrometheusTextWithJvmHttpAndKafkaClientMetrics() throws Exception {
        get("/health");
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String body = response.body();
        assertTrue(body.contains("# TYPE jvm_memory_used_bytes gauge"), "JVM metrics");
        assertTrue(body.contains("http_server_requests_seconds_count{method=\"GET\""), "HTTP server metrics");
        assertTrue(body.contains("uri=\"/health\""), "HTTP metrics are tagged with the route template");
        assertTrue(body.contains("kafka_producer_"), "Kafka client metrics");
    }

    @Test
    void callerRequestIdIsEchoedAndAMissingOneIsGenerated() throws Exception {
        assertEquals(
                "ops-check-42",
                get("/health", "X-Request-Id", "ops-check-42")
                        .headers()
                        .firstValue("X-Request-Id")
                        .orElse(null));
        String generated = get("/health").headers().firstValue("X-Request-Id").orElse(null);
        assertNotNull(generated);
        assertFalse(generated.isBlank());
        String hostile = get("/health", "X-Request-Id", "a b\"<script>")
                .headers()
                .firstValue("X-Request-Id")
                .orElse("");
        assertTrue(hostile.matches("[0-9a-f-]{36}"), "an unsafe id is replaced, got " + hostile);
    }

    @Test
    void healthNamesTheServiceFromItsOwnConfiguration() throws Exception {
        String body = get("/health").body();
        assertTrue(body.contains("\"name\":\"" + serviceName() + "\""), "application.yml was read: " + body);
    }

    /** The service's {@code micronaut.application.name}, as set in its application.yml. */
    protected abstract String serviceName();

    @Test
    void unknownRouteGetsOpenAiStyleNotFoundBody() throws Exception {
        HttpResponse<String> response = get("/no/such/route");
        assertEquals(404, response.statusCode());
        assertTrue(response.body().startsWith("{\"error\":{\"message\":"), response.body());
        assertTrue(response.body().contains("\"type\":\"not_found_error\""), response.body());
        assertTrue(response.body().contains("no such endpoint: GET /no/such/route"), response.body());
    }
}
