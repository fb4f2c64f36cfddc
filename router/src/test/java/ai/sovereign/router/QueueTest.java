package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** One server with maxConcurrency 1, so every further request waits in the router's queue. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        ModelBehaviour slow = ModelBehaviour.instant()
                .withTimeToFirstToken(Duration.ofMillis(120))
                .withOutputTokens(3);
        router = RouterHarness.start(1, RouterHarness.fastSettings(), List.of(), slow);
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    @AfterEach
    void resume() {
        router.adminJson("POST", "queue/resume", null);
    }

    private CompletableFuture<HttpResponse<String>> submit(String id, String priority) {
        HttpRequest request = HttpRequest.newBuilder(router.uri("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", id)
                .header("X-Sovereign-Token", router.userToken)
                .header("X-Priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(RouterHarness.chat(RouterHarness.MODEL, false)))
                .build();
        return router.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private int queueSize() {
        return router.adminJson("GET", "queue", null).path("size").asInt();
    }

    @Test
    void waitingRequestsAreServedByPriorityThenArrival() {
        router.adminJson("POST", "queue/pause", null);
        List<String> finished = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        String[][] requests = {{"a-low", "low"}, {"b-normal", "5"}, {"c-high", "high"}, {"d-normal", "normal"}};
        for (int i = 0; i < requests.length; i++) {
            String id = requests[i][0];
            all.add(submit(id, requests[i][1]).whenComplete((r, e) -> finished.add(id)));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> queueSize() == expected);
        }
        JsonNode waiting = router.adminJson("GET", "queue", null).path("waiting");
        List<String> queued = new ArrayList<>();
        waiting.forEach(w -> queued.add(w.path("requestId").asString()));
        assertEquals(List.of("c-high", "b-normal", "d-normal", "a-low"), queued);
        assertTrue(router.adminJson("GET", "queue", null).path("paused").asBoolean());

        router.adminJson("POST", "queue/resume", null);
        all.forEach(f -> assertEquals(200, f.join().statusCode()));
        assertEquals(List.of("c-high", "b-normal", "d-normal", "a-low"), finished);
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAndALiveMaxSizePatchTakesEffect() {
        router.adminJson("PATCH", "config/queue", "{\"maxSize\":2}");
        router.adminJson("POST", "queue/pause", null);
        List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
        accepted.add(submit("q1", "normal"));
        accepted.add(submit("q2", "normal"));
        await().atMost(Duration.ofSeconds(5)).until(() -> queueSize() == 2);

        HttpResponse<String> refused = submit("q3", "normal").join();
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After is set");
        assertEquals(
                "queue_full",
                RouterHarness.JSON
                        .readTree(refused.body())
                        .path("error")
                        .path("code")
                        .asString());

        JsonNode patched = router.adminJson("PATCH", "config/queue", "{\"maxSize\":2000}");
        assertEquals(2000, patched.path("config").path("queue").path("maxSize").asInt());
        assertEquals(
                2000, router.adminJson("GET", "queue", null).path("maxSize").asInt());
        accepted.add(submit("q3-again", "normal"));
        await().atMost(Duration.ofSeconds(5)).until(() -> queueSize() == 3);
        String metrics = router.admin("GET", "metrics", null).body();
        assertTrue(metrics.contains("orchestrator_queue_rejected_total"), metrics);

        router.adminJson("POST", "queue/resume", null);
        accepted.forEach(f -> assertEquals(200, f.join().statusCode()));
    }

    @Test
    void aRequestWaitingLongerThanTheTimeoutGets504() {
        router.adminJson("PATCH", "config/queue", "{\"timeoutMs\":300}");
        try {
            router.adminJson("POST", "queue/pause", null);
            HttpResponse<String> response = submit("late", "normal").join();
            assertEquals(504, response.statusCode(), response.body());
            assertTrue(response.body().contains("queue.timeoutMs"), response.body());
        } finally {
            router.adminJson("PATCH", "config/queue", "{\"timeoutMs\":30000}");
        }
    }

    @Test
    void badQueuePatchIsA400NamingTheFieldAndChangesNothing() {
        int before = router.adminJson("GET", "config", null).path("version").asInt();
        HttpResponse<String> response = router.admin("PATCH", "config/queue", "{\"maxSize\":-5}");
        assertEquals(400, response.statusCode());
        JsonNode error = RouterHarness.JSON.readTree(response.body()).path("error");
        assertEquals("queue.maxSize must be ≥ 1 (got -5)", error.path("message").asString());
        assertEquals("queue.maxSize", error.path("param").asString());
        assertEquals(
                before, router.adminJson("GET", "config", null).path("version").asInt());
    }
}
