package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A pair that keeps failing: breaker opens, recovery tests fail and are analysed, a ban follows, operators lift it. */
class RecoveryAndBansTest {

    @Test
    void repeatedRecoveryFailuresBanThePairAndAPassingTestClosesTheBreaker() {
        String settings = RouterHarness.fastSettings().replace("\"banAfterFailures\":1000", "\"banAfterFailures\":3");
        try (RouterHarness router = RouterHarness.start(2, settings, List.of("ollama"), ModelBehaviour.instant())) {
            await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
            router.simulators.getFirst().updateBehaviour("org/model", b -> b.withErrorRate(1.0));
            HttpResponse<String> failed = router.post("/v1/chat/completions", RouterHarness.chat("org/model", false));
            assertEquals(502, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("HTTP 500"), failed.body());
            HttpResponse<String> open = router.post("/v1/chat/completions", RouterHarness.chat("org/model", false));
            assertEquals(503, open.statusCode(), open.body());
            assertTrue(open.body().contains("circuit breaker open"), open.body());
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            router.adminJson("GET", "bans", null).path("bans").size() == 1);
            JsonNode ban = router.adminJson("GET", "bans", null).path("bans").get(0);
            assertEquals("sim-0", ban.path("serverId").asString());
            assertEquals("org/model", ban.path("model").asString());
            assertTrue(ban.path("reason").asString().contains("3 consecutive recovery tests failed"), ban.toString());

            HttpResponse<String> refused = router.post("/v1/chat/completions", RouterHarness.chat("org/model", false));
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("banned"), refused.body());
            assertEquals(
                    200,
                    router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false))
                            .statusCode(),
                    "other models of the server are unaffected");

            assertTrue(router.adminJson("GET", "recovery-failures/sim-0/history", null)
                            .path("failures")
                            .size()
                    >= 3);
            JsonNode analysis = router.adminJson("GET", "recovery-failures/sim-0/analysis", null);
            assertTrue(analysis.path("mostCommonError").asString().contains("HTTP 500"), analysis.toString());
            assertEquals(1.0, analysis.path("failureRate").asDouble(), 1e-9);
            JsonNode impact = router.adminJson("GET", "recovery-failures/sim-0/circuit-breaker-impact", null);
            assertTrue(impact.path("timeOpenMs").asLong() > 0, impact.toString());
            assertTrue(router.adminJson("GET", "recovery-failures", null)
                    .toString()
                    .contains("sim-0"));

            router.simulators.getFirst().updateBehaviour("org/model", b -> b.withErrorRate(0));
            assertEquals(
                    1,
                    router.adminJson("DELETE", "bans/sim-0/org%2Fmodel", null)
                            .path("cleared")
                            .asInt());
            // The scheduled recovery tests keep running meanwhile: a manual test that meets one is refused, so retry.
            JsonNode[] last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                last[0] = router.adminJson("POST", "servers/sim-0/models/org%2Fmodel/recovery-test", null);
                return !last[0].path("detail").asString("").contains("already running");
            });
            JsonNode test = last[0];
            assertTrue(test.path("passed").asBoolean(), test.toString());
            assertEquals("closed", test.path("breakerState").asString());
            assertEquals(
                    200,
                    router.post("/v1/chat/completions", RouterHarness.chat("org/model", false))
                            .statusCode());
            router.adminJson("POST", "recovery-failures/sim-0/reset", null);
            assertEquals(
                    0,
                    router.adminJson("GET", "recovery-failures/sim-0", null)
                            .path("failures")
                            .asInt());
        }
    }
}
