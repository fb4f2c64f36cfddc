package ai.sovereign.runtime.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service outside development mode shows anyone its health status and nothing more: the details (each dependency's
 * address and error) and the metrics need the management token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementAccessTest {

    private static final String TOKEN = "management-token-for-tests-0123456789abcdef";

    @TempDir
    static Path keys;

    private ApplicationContext context;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>();
        SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY).forEach(props::put);
        props.put("postgres.schema", DatabaseRoles.GATEWAY.schema());
        props.putAll(SharedInfrastructure.kafkaProperties("gateway"));
        props.put("sovereign.security.dev-mode", false);
        props.put(
                "sovereign.security.trusted-keys",
                PlatformKeys.loadOrGenerate(keys).trustedKeys().toString());
        props.put("sovereign.management.token", TOKEN);
        props.put("micronaut.server.port", -1);
        context = ApplicationContext.builder().properties(props).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        base = server.getURI();
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutTheTokenHealthIsTheStatusOnlyAndMetricsAre401() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-token", "Bearer " + TOKEN + "x", "Basic abc"}) {
            HttpResponse<String> health = get("/health", authorization);
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("{\"name\":\"runtime-probe\",\"status\":\"UP\"}", health.body(), "no details, no addresses");
            assertFalse(health.body().contains("jdbc:"), health.body());

            HttpResponse<String> metrics = get("/metrics", authorization);
            assertEquals(401, metrics.statusCode(), metrics.body());
            assertTrue(metrics.body().contains("management_token_required"), metrics.body());
        }
    }

    @Test
    void withTheTokenHealthHasItsDetailsAndMetricsAreScraped() throws Exception {
        HttpResponse<String> health = get("/health", "Bearer " + TOKEN);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"details\":{"), health.body());
        assertTrue(health.body().contains("\"postgres\":"), health.body());

        HttpResponse<String> metrics = get("/metrics", "Bearer " + TOKEN);
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics.body());
    }

    @Test
    void aTokenShorterThan32CharactersStopsTheServiceAtStart() {
        Map<String, Object> props = new HashMap<>();
        props.put("sovereign.management.token", "short");
        props.put("sovereign.security.dev-mode", true);
        props.put("micronaut.server.port", -1);
        RuntimeException refused = assertThrows(RuntimeException.class, () -> {
            try (ApplicationContext ignored =
                    ApplicationContext.builder().properties(props).start()) {
                ignored.getBean(ManagementAccess.class);
            }
        });
        assertTrue(
                String.valueOf(refused.getMessage()).contains("at least 32") || causeSays(refused),
                String.valueOf(refused));
    }

    private static boolean causeSays(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("at least 32")) {
                return true;
            }
        }
        return false;
    }
}
