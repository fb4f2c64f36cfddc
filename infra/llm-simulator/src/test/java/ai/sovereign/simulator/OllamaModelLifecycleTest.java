package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Pull, delete, preload and unload, as an Ollama client (or the gpu-agent) drives them. */
class OllamaModelLifecycleTest {

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withPullDuration(Duration.ofMillis(100))
                .withModels("llama3.1:8b"));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static List<String> names(String path) throws Exception {
        List<String> names = new ArrayList<>();
        SimulatorHttp.json(http.get(path))
                .path("models")
                .forEach(m -> names.add(m.path("name").stringValue()));
        return names;
    }

    @Test
    void pullStreamsOllamaProgressAndThenListsTheModel() throws Exception {
        long pulls = simulator.metrics().pulls();
        HttpResponse<Stream<String>> response = http.postLines("/api/pull", "{\"model\":\"qwen2.5:7b\"}");
        assertEquals(200, response.statusCode());
        assertEquals(
                "application/x-ndjson",
                response.headers().firstValue("content-type").orElseThrow());
        List<JsonNode> lines = response.body().map(SimulatorHttp::json).toList();

        assertEquals("pulling manifest", lines.getFirst().path("status").stringValue());
        List<JsonNode> layers = lines.stream().filter(l -> l.has("digest")).toList();
        assertFalse(layers.isEmpty());
        for (JsonNode layer : layers) {
            assertTrue(layer.path("status").stringValue().startsWith("pulling "));
            assertTrue(layer.path("digest").stringValue().matches("sha256:[0-9a-f]{64}"));
            assertTrue(layer.path("completed").asLong() <= layer.path("total").asLong());
        }
        List<String> statuses =
                lines.stream().map(l -> l.path("status").stringValue()).toList();
        assertEquals(
                List.of("verifying sha256 digest", "writing manifest", "success"),
                statuses.subList(statuses.size() - 3, statuses.size()));
        assertEquals(pulls + 1, simulator.metrics().pulls());
        assertTrue(names("/api/tags").contains("qwen2.5:7b"));
    }

    @Test
    void nonStreamedPullAnswersOneSuccessObjectAndAddsLatestTag() throws Exception {
        HttpResponse<String> response = http.post("/api/pull", "{\"model\":\"phi3\",\"stream\":false}");
        assertEquals("{\"status\":\"success\"}", response.body());
        assertTrue(names("/api/tags").contains("phi3:latest"));
        assertEquals(
                200,
                http.post("/api/generate", "{\"model\":\"phi3\",\"prompt\":\"hi\",\"stream\":false}")
                        .statusCode());
    }

    @Test
    void deleteRemovesTheModelAndASecondDeleteIs404() throws Exception {
        simulator.addModel("doomed:1b");
        assertEquals(
                200,
                http.send("DELETE", "/api/delete", "{\"model\":\"doomed:1b\"}").statusCode());
        assertFalse(names("/api/tags").contains("doomed:1b"));
        HttpResponse<String> again = http.send("DELETE", "/api/delete", "{\"model\":\"doomed:1b\"}");
        assertEquals(404, again.statusCode());
        assertTrue(SimulatorHttp.json(again).path("error").stringValue().contains("not found"));
        assertEquals(
                404,
                http.post(
                                "/api/chat",
                                "{\"model\":\"doomed:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                        .statusCode());
    }

    @Test
    void emptyGeneratePreloadsAndKeepAliveZeroUnloads() throws Exception {
        simulator.addModel("preload:8b");
        assertFalse(names("/api/ps").contains("preload:8b"));

        JsonNode loaded =
                SimulatorHttp.json(http.post("/api/generate", "{\"model\":\"preload:8b\",\"keep_alive\":\"10m\"}"));
        assertTrue(loaded.path("done").booleanValue());
        assertEquals("load", loaded.path("done_reason").stringValue());
        JsonNode entry = null;
        for (JsonNode model : SimulatorHttp.json(http.get("/api/ps")).path("models")) {
            if (model.path("name").stringValue().equals("preload:8b")) {
                entry = model;
            }
        }
        assertTrue(entry != null, "the preloaded model is listed by /api/ps");
        assertTrue(entry.path("size_vram").asLong() > 0);
        Instant expiresAt = Instant.parse(entry.path("expires_at").stringValue());
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(9))), "keep_alive 10m: " + expiresAt);

        JsonNode unloaded =
                SimulatorHttp.json(http.post("/api/generate", "{\"model\":\"preload:8b\",\"keep_alive\":0}"));
        assertEquals("unload", unloaded.path("done_reason").stringValue());
        assertFalse(names("/api/ps").contains("preload:8b"));
    }

    @Test
    void chatLoadsTheModelAndEmptyChatWithKeepAliveZeroUnloadsIt() throws Exception {
        simulator.addModel("chatty:8b");
        http.post(
                "/api/chat",
                "{\"model\":\"chatty:8b\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTrue(names("/api/ps").contains("chatty:8b"));
        assertTrue(simulator.isLoaded("chatty:8b"));
        JsonNode unloaded = SimulatorHttp.json(
                http.post("/api/chat", "{\"model\":\"chatty:8b\",\"messages\":[],\"keep_alive\":0}"));
        assertEquals("unload", unloaded.path("done_reason").stringValue());
        assertFalse(simulator.isLoaded("chatty:8b"));
    }
}
