package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * In its default configuration the router refuses inference that does not carry a valid service token (401 with an
 * OpenAI error body), on the Netty fast path and on Micronaut's, whole and streamed; the gateway's token passes with
 * any key role, ingestion's only with the service role, and neither opens the admin API to a non-admin.
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
                Map.of(),
                ModelBehaviour.instant().withOutputTokens(3));
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    private static String gateway(String audience, Role role, Clock clock) {
        return ServiceTokenSigner.development("gateway", clock)
                .issue(audience, "key-7", "tenant-a", role, Duration.ofMinutes(5));
    }

    private static String ingestion(Role role) {
        return ServiceTokenSigner.development("ingestion", Clock.systemUTC())
                .issue("router", "ingestion", "tenant-a", role, Duration.ofMinutes(5));
    }

    @Test
    void inferenceWithoutAValidServiceTokenIsRefusedInTheDefaultConfiguration() {
        String chat = RouterHarness.chat(RouterHarness.MODEL, false);
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        Map<String, HttpResponse<String>> refused = Map.of(
                "no token, whole", router.postWithoutToken("/v1/chat/completions", chat),
                "no token, streamed",
                        router.postWithoutToken("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true)),
                "no token, completions",
                        router.postWithoutToken(
                                "/v1/completions", "{\"model\":\"" + RouterHarness.MODEL + "\",\"prompt\":\"hi\"}"),
                "no token, embeddings",
                        router.postWithoutToken("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":\"hi\"}"),
                "forged", router.post("/v1/chat/completions", chat, "X-Sovereign-Token", "forged.token.value"),
                "for another audience",
                        router.post(
                                "/v1/chat/completions",
                                chat,
                                "X-Sovereign-Token",
                                gateway("ingestion", Role.USER, Clock.systemUTC())),
                "expired",
                        router.post(
                                "/v1/chat/completions",
                                chat,
                                "X-Sovereign-Token",
                                gateway("router", Role.USER, anHourAgo)),
                "no token, a body that is no request", router.postWithoutToken("/v1/chat/completions", "{}"),
                "ingestion as admin",
                        router.post("/v1/chat/completions", chat, "X-Sovereign-Token", ingestion(Role.ADMIN)),
                "models without a token",
                        router.send(HttpRequest.newBuilder(router.uri("/v1/models"))
                                .GET()
                                .build()));
        refused.forEach((which, response) -> {
            assertEquals(401, response.statusCode(), which + ": " + response.body());
            JsonNode error = RouterHarness.JSON.readTree(response.body()).path("error");
            assertEquals("invalid_service_token", error.path("code").asString(), which + ": " + response.body());
            assertTrue(error.path("message").asString().length() > 10, response.body());
        });
        assertTrue(refused.get("ingestion as admin").body().contains("ingestion may not call router as admin"));
        for (String open : List.of("/health", "/metrics")) {
            assertEquals(
                    200,
                    router.send(HttpRequest.newBuilder(router.uri(open)).GET().build())
                            .statusCode(),
                    open + " needs no token");
        }
    }

    @Test
    void theGatewaysAndIngestionsServiceTokensPass() {
        for (String token : List.of(gateway("router", Role.USER, Clock.systemUTC()), ingestion(Role.SERVICE))) {
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

    @Test
    void neitherAUserKeyNorIngestionOpensTheAdminApi() {
        for (String token : List.of(gateway("router", Role.USER, Clock.systemUTC()), ingestion(Role.SERVICE))) {
            HttpResponse<String> servers = router.send(HttpRequest.newBuilder(router.uri("/api/orchestrator/servers"))
                    .header("X-Sovereign-Token", token)
                    .GET()
                    .build());
            assertEquals(403, servers.statusCode(), servers.body());
        }
    }
}
