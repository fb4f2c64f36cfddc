package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With the fast path off ({@code router.fast-path.enabled: false}) the inference routes go through Micronaut's
 * controller, which the fast path also hands some requests to: same answers, same contract.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerPathTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        router = RouterHarness.start(
                4,
                RouterHarness.fastSettings(),
                List.of(),
                Map.of("router.fast-path.enabled", false),
                ModelBehaviour.instant()
                        .withInterTokenLatency(Duration.ofMillis(5))
                        .withOutputTokens(5));
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    @Test
    void theControllerServesWholeAnswersStreamsAndErrors() {
        HttpResponse<String> whole = router.post(
                "/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false), "X-Request-Id", "controller-1");
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals("controller-1", whole.headers().firstValue("X-Request-Id").orElse(null));
        assertEquals(
                "chat.completion",
                RouterHarness.JSON.readTree(whole.body()).path("object").asString());

        HttpResponse<String> stream =
                router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true));
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertTrue(stream.body().contains("chat.completion.chunk"), stream.body());
        assertTrue(stream.body().trim().endsWith("data: [DONE]"), stream.body());

        HttpResponse<String> unknown = router.post("/v1/chat/completions", RouterHarness.chat("no-such:model", true));
        assertEquals(404, unknown.statusCode());
        assertEquals(
                "model_not_found",
                RouterHarness.JSON
                        .readTree(unknown.body())
                        .path("error")
                        .path("code")
                        .asString());

        assertFalse(
                router.admin("GET", "metrics", null).body().contains("orchestrator_fast_path_requests_total"),
                "the fast path is off");
    }
}
