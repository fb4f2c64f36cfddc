package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.Endpoint;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The /sim/ control API a benchmark uses to reconfigure a simulator running in another process. */
class ControlApiTest {

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults().withModels("base:8b"));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndTakesEffectForTheNextRequest() throws Exception {
        simulator.addModel("patched:8b", ModelBehaviour.instant());
        HttpResponse<String> response = http.send(
                "PATCH",
                "/sim/models/patched:8b/behaviour",
                "{\"ttftMs\":12.5,\"outputTokens\":3,\"unavailable\":true}");
        assertEquals(200, response.statusCode());
        JsonNode behaviour = SimulatorHttp.json(response);
        assertEquals(12.5, behaviour.path("ttftMs").asDouble());
        assertEquals(0.0, behaviour.path("interTokenMs").asDouble(), "untouched fields keep their value");
        assertEquals(
                Duration.ofNanos(12_500_000), simulator.behaviour("patched:8b").timeToFirstToken());
        assertEquals(
                503,
                http.post("/api/generate", "{\"model\":\"patched:8b\",\"prompt\":\"x\"}")
                        .statusCode());

        http.send("PATCH", "/sim/models/patched:8b/behaviour", "{\"unavailable\":false}");
        JsonNode done = SimulatorHttp.json(
                http.post("/api/generate", "{\"model\":\"patched:8b\",\"prompt\":\"x\",\"stream\":false}"));
        assertEquals(3, done.path("eval_count").asInt());
    }

    @Test
    void putReplacesTheBehaviourStartingFromTheDefault() throws Exception {
        simulator.addModel("replaced:8b", ModelBehaviour.instant().withHang(true));
        JsonNode behaviour =
                SimulatorHttp.json(http.send("PUT", "/sim/models/replaced:8b/behaviour", "{\"maxConcurrency\":2}"));
        assertEquals(2, behaviour.path("maxConcurrency").asInt());
        assertFalse(behaviour.path("hang").booleanValue(), "absent fields reset to the default behaviour");
        assertEquals(ModelBehaviour.defaults().withMaxConcurrency(2), simulator.behaviour("replaced:8b"));
        assertEquals(behaviour, SimulatorHttp.json(http.get("/sim/models/replaced:8b/behaviour")));
    }

    @Test
    void unknownFieldsAndBadValuesAreRejectedWithoutChangingAnything() throws Exception {
        simulator.addModel("strict:8b", ModelBehaviour.instant());
        HttpResponse<String> typo = http.send("PATCH", "/sim/models/strict:8b/behaviour", "{\"ttft\":5}");
        assertEquals(400, typo.statusCode());
        assertTrue(SimulatorHttp.json(typo).path("error").stringValue().contains("ttft"));
        HttpResponse<String> range = http.send("PATCH", "/sim/models/strict:8b/behaviour", "{\"errorRate\":1.5}");
        assertEquals(400, range.statusCode());
        assertTrue(SimulatorHttp.json(range).path("error").stringValue().contains("errorRate"));
        assertEquals(
                400,
                http.send("PATCH", "/sim/models/strict:8b/behaviour", "{oops").statusCode());
        assertEquals(ModelBehaviour.instant(), simulator.behaviour("strict:8b"));
        assertEquals(404, http.get("/sim/models/ghost/behaviour").statusCode());
    }

    @Test
    void modelsCanBeAddedAndRemovedAtRunTime() throws Exception {
        HttpResponse<String> added = http.send("PUT", "/sim/models/runtime:1b", "{\"outputTokens\":2}");
        assertEquals(200, added.statusCode());
        assertTrue(simulator.models().contains("runtime:1b"));
        assertEquals(2, simulator.behaviour("runtime:1b").outputTokens());
        assertTrue(http.get("/api/tags").body().contains("runtime:1b"));

        assertEquals(204, http.send("DELETE", "/sim/models/runtime:1b", "").statusCode());
        assertFalse(simulator.models().contains("runtime:1b"));
        assertEquals(404, http.send("DELETE", "/sim/models/runtime:1b", "").statusCode());
    }

    @Test
    void patchingTheDefaultChangesEveryModelAndLaterPulls() throws Exception {
        try (LlmSimulator own = LlmSimulator.start(
                SimulatorConfig.defaults().withModels("a:1b", "b:1b").withPullDuration(Duration.ZERO))) {
            SimulatorHttp client = new SimulatorHttp(own);
            assertEquals(
                    200,
                    client.send("PATCH", "/sim/behaviour", "{\"errorRate\":1}").statusCode());
            assertEquals(1.0, own.behaviour("a:1b").errorRate());
            assertEquals(1.0, own.behaviour("b:1b").errorRate());
            client.post("/api/pull", "{\"model\":\"c:1b\",\"stream\":false}");
            assertEquals(1.0, own.behaviour("c:1b").errorRate());
            assertEquals(
                    1.0,
                    SimulatorHttp.json(client.get("/sim/behaviour"))
                            .path("errorRate")
                            .asDouble());
        }
    }

    @Test
    void statsReportCountersAndResetZeroesThem() throws Exception {
        http.get("/api/version");
        JsonNode stats = SimulatorHttp.json(http.get("/sim/stats"));
        assertTrue(stats.path("requests").path("/api/version").asLong() >= 1);
        assertTrue(stats.path("models").has("base:8b"));
        assertEquals(204, http.post("/sim/stats/reset", "").statusCode());
        assertEquals(0, simulator.metrics().requests(Endpoint.OLLAMA_VERSION));
        JsonNode models = SimulatorHttp.json(http.get("/sim/models"));
        assertTrue(models.path("models").isArray());
        assertEquals(404, http.get("/sim/nothing-here").statusCode());
    }
}
