package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * An operator can make the router refuse inference that did not come through the gateway: with {@code /v1} among
 * {@code sovereign.security.protected-paths}, every inference route needs a valid service token (401 with an OpenAI
 * error body without one, or with a forged one), and the gateway's token passes, on the whole and the streamed path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceTokenRequiredTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        router = RouterHarness.start(
                4,
                RouterHarness.fastSettings(),
                List.of(),
                Map.of("sovereign.security.protected-paths", List.of("/api/orchestrator", "/v1")),
                ModelBehaviour.instant().withOutputTokens(3));
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    @Test
    void inferenceWithoutAValidServiceTokenIsRefused() {
        List<HttpResponse<String>> refused = List.of(
                router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false)),
                router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true)),
                router.post("/v1/completions", "{\"model\":\"" + RouterHarness.MODEL + "\",\"prompt\":\"hi\"}"),
                router.post("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":\"hi\"}"),
                router.post(
                        "/v1/chat/completions",
                        RouterHarness.chat(RouterHarness.MODEL, false),
                        "X-Sovereign-Token",
                        "forged.token.value"),
                router.send(
                        HttpRequest.newBuilder(router.uri("/v1/models")).GET().build()));
        for (HttpResponse<String> response : refused) {
            assertEquals(401, response.statusCode(), response.uri() + ": " + response.body());
            JsonNode error = RouterHarness.JSON.readTree(response.body()).path("error");
            assertEquals("invalid_service_token", error.path("code").asString(), response.body());
            assertTrue(error.path("message").asString().length() > 10, response.body());
        }
        for (String open : List.of("/health", "/metrics")) {
            assertEquals(
                    200,
                    router.send(HttpRequest.newBuilder(router.uri(open)).GET().build())
                            .statusCode(),
                    open + " needs no token");
        }
    }

    @Test
    void theGatewaysServiceTokenPasses() {
        String token = router.context
                .getBean(ServiceTokenCodec.class)
                .issue("key-7", "tenant-a", Role.USER, Duration.ofMinutes(1), "gateway");

        HttpResponse<String> whole = router.post(
                "/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false), "X-Sovereign-Token", token);
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals(
                3,
                RouterHarness.JSON
                        .readTree(whole.body())
                        .path("usage")
                        .path("completion_tokens")
                        .asInt(),
                whole.body());

        HttpResponse<String> stream = router.post(
                "/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true), "X-Sovereign-Token", token);
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.body().trim().endsWith("data: [DONE]"), stream.body());

        HttpResponse<String> models = router.send(HttpRequest.newBuilder(router.uri("/v1/models"))
                .header("X-Sovereign-Token", token)
                .GET()
                .build());
        assertEquals(200, models.statusCode(), models.body());
        assertTrue(models.body().contains(RouterHarness.MODEL), models.body());
    }
}
