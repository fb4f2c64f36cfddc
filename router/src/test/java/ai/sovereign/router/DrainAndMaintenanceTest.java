package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.Endpoint;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** Drain and maintenance: what is in flight finishes, nothing new arrives. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrainAndMaintenanceTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        ModelBehaviour behaviour = ModelBehaviour.instant()
                .withInterTokenLatency(Duration.ofMillis(25))
                .withOutputTokens(40);
        router = RouterHarness.start(4, RouterHarness.fastSettings(), List.of(), behaviour, behaviour);
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    @Test
    void drainedServerFinishesInFlightButGetsNoNewRequests() {
        takeOutOfRotation("drain", null, "undrain", null, "draining", null);
    }

    @Test
    void serverInMaintenanceFinishesInFlightGetsNoNewRequestsAndShowsTheReason() {
        takeOutOfRotation(
                "maintenance",
                "{\"enabled\":true,\"reason\":\"GPU swap\"}",
                "maintenance",
                "{\"enabled\":false}",
                "maintenance",
                "GPU swap");
    }

    private void takeOutOfRotation(
            String action, String body, String undo, String undoBody, String status, String reason) {
        CompletableFuture<List<String>> stream = CompletableFuture.supplyAsync(() -> {
            HttpResponse<Stream<String>> r =
                    router.postStreaming("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true));
            return r.body().filter(l -> l.startsWith("data:")).toList();
        });
        String busy = await().atMost(Duration.ofSeconds(5)).until(this::busyServer, id -> id != null);
        int index = Integer.parseInt(busy.substring("sim-".length()));
        LlmSimulator target = router.simulators.get(index);
        router.adminJson("POST", "servers/" + busy + "/" + action, body);
        try {
            JsonNode view = FailoverTest.server(router, busy);
            assertEquals(status, view.path("status").asString());
            if (reason != null) {
                assertEquals(reason, view.path("maintenance").path("reason").asString());
                String models = router.adminJson("GET", "models/status", null).toString();
                assertTrue(models.contains("in maintenance (" + reason + ")"), models);
            }
            long before = target.metrics().requests(Endpoint.OPENAI_CHAT);
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = router.post(
                        "/v1/chat/completions",
                        "{\"model\":\"" + RouterHarness.MODEL
                                + "\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertEquals(200, r.statusCode(), r.body());
            }
            assertEquals(before, target.metrics().requests(Endpoint.OPENAI_CHAT), "no new request reached " + busy);
            List<String> events = stream.join();
            assertEquals("data: [DONE]", events.getLast());
            assertFalse(
                    events.stream().anyMatch(e -> e.contains("\"error\"")), "the in-flight stream finished cleanly");
            assertTrue(events.size() > 40, "every token arrived: " + events.size());
        } finally {
            router.adminJson("POST", "servers/" + busy + "/" + undo, undoBody);
        }
        assertEquals("healthy", FailoverTest.server(router, busy).path("status").asString());
    }

    private String busyServer() {
        for (JsonNode s : router.adminJson("GET", "servers", null).path("servers")) {
            if (s.path("inFlight").asInt() > 0) {
                return s.path("id").asString();
            }
        }
        return null;
    }
}
