package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Three servers under steady load, one killed mid-run and brought back. */
class FailoverTest {

    static final ModelBehaviour BEHAVIOUR = ModelBehaviour.instant()
            .withTimeToFirstToken(Duration.ofMillis(20))
            .withInterTokenLatency(Duration.ofMillis(2))
            .withOutputTokens(10);

    @Test
    void killedServerCostsNoFailedRequestItsBreakersOpenAndARecoveryTestClosesThem() throws Exception {
        try (RouterHarness router =
                RouterHarness.start(4, RouterHarness.fastSettings(), List.of(), BEHAVIOUR, BEHAVIOUR, BEHAVIOUR)) {
            await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> load = new java.util.ArrayList<>();
            for (int c = 0; c < 6; c++) {
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r =
                                router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false));
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= 60);
            LlmSimulator victim = router.simulators.get(2);
            int port = victim.port();
            victim.close();
            int atKill = ok.get();
            await().atMost(Duration.ofSeconds(15)).until(() -> "open".equals(breakerState(router, "sim-2")));
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() >= atKill + 100);
            running.set(false);
            for (Future<?> f : load) {
                f.get();
            }
            clients.close();
            assertTrue(failures.isEmpty(), "failed requests: " + failures);
            assertEquals("unhealthy", server(router, "sim-2").path("status").asString());

            LlmSimulator back = LlmSimulator.start(SimulatorConfig.defaults()
                    .withPort(port)
                    .withDefaultBehaviour(BEHAVIOUR)
                    .withModels(RouterHarness.MODEL, "nomic-embed-text", "org/model"));
            router.simulators.set(2, back);
            await().atMost(Duration.ofSeconds(15)).until(() -> "closed".equals(breakerState(router, "sim-2")));
            long before = back.metrics().completedRequests(RouterHarness.MODEL);
            for (int i = 0; i < 12; i++) {
                assertEquals(
                        200,
                        router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false))
                                .statusCode());
            }
            assertTrue(
                    back.metrics().completedRequests(RouterHarness.MODEL) > before,
                    "the returned server serves again: "
                            + router.admin("GET", "servers", null).body()
                            + router.admin("GET", "circuit-breakers", null).body() + " sim metrics "
                            + back.metrics().requests(ai.sovereign.simulator.metrics.Endpoint.OPENAI_CHAT));
            String metrics = router.admin("GET", "metrics", null).body();
            assertTrue(metrics.contains("orchestrator_circuit_breaker_state{"), metrics);
            assertTrue(metrics.contains("orchestrator_requests_total{"), metrics);
        }
    }

    static String breakerState(RouterHarness router, String serverId) {
        HttpResponse<String> r = router.admin("GET", "circuit-breakers/" + serverId + "/" + RouterHarness.MODEL, null);
        return r.statusCode() == 200
                ? RouterHarness.JSON.readTree(r.body()).path("state").asString()
                : "none";
    }

    static JsonNode server(RouterHarness router, String id) {
        for (JsonNode s : router.adminJson("GET", "servers", null).path("servers")) {
            if (s.path("id").asString().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no server " + id);
    }
}
