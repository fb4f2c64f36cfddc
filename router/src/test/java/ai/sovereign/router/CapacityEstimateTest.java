package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/orchestrator/capacity/estimate} over HTTP: given and measured throughput, bad parameters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapacityEstimateTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        ModelBehaviour behaviour = ModelBehaviour.instant()
                .withInterTokenLatency(Duration.ofMillis(5))
                .withOutputTokens(20);
        router = RouterHarness.start(4, RouterHarness.fastSettings(), List.of(), behaviour);
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    @Test
    void estimatesFromAGivenThroughputAndFromWhatTheFleetMeasured() {
        JsonNode given = router.adminJson(
                "GET",
                "capacity/estimate?users=200&avg_input_tokens=800&avg_output_tokens=300&tokens_per_second=1500",
                null);
        assertEquals(5500.0, given.path("requiredTokensPerSecond").asDouble());
        assertEquals(4, given.path("serversNeeded").asInt());
        assertEquals("given", given.path("tokensPerSecondSource").asString());

        for (int i = 0; i < 3; i++) {
            assertEquals(
                    200,
                    router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false))
                            .statusCode());
        }
        JsonNode measured =
                router.adminJson("GET", "capacity/estimate?users=200&avg_input_tokens=800&avg_output_tokens=300", null);
        assertEquals("measured", measured.path("tokensPerSecondSource").asString());
        assertTrue(measured.path("tokensPerSecondPerServer").asDouble() > 0, measured.toString());
        assertTrue(measured.path("serversNeeded").asInt() >= 1, measured.toString());
    }

    @Test
    void aBadParameterIsA400NamingIt() {
        HttpResponse<String> missing =
                router.admin("GET", "capacity/estimate?avg_input_tokens=800&avg_output_tokens=300", null);
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("\"param\":\"users\""), missing.body());
        HttpResponse<String> text =
                router.admin("GET", "capacity/estimate?users=many&avg_input_tokens=1&avg_output_tokens=1", null);
        assertEquals(400, text.statusCode(), text.body());
        assertTrue(text.body().contains("users must be a whole number (got 'many')"), text.body());
    }
}
