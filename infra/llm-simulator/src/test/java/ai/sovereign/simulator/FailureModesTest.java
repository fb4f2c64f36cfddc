package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.FailureKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every failure mode as a client observes it, in both dialects where the shape differs. */
class FailureModesTest {

    private static final AtomicInteger MODELS = new AtomicInteger();

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults().withDefaultBehaviour(ModelBehaviour.instant()));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    /** A fresh model per test, so behaviours never leak between tests. */
    private static String model(ModelBehaviour behaviour) {
        String name = "failing-" + MODELS.incrementAndGet() + ":1b";
        simulator.addModel(name, behaviour);
        return name;
    }

    private static String ollamaChat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static String openAiChat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void errorRateOneAnswers500WithAnErrorBodyInEachDialect() throws Exception {
        String model = model(ModelBehaviour.instant().withErrorRate(1.0));
        HttpResponse<String> ollama = http.post("/api/chat", ollamaChat(model, true));
        assertEquals(500, ollama.statusCode());
        assertTrue(SimulatorHttp.json(ollama).path("error").stringValue().contains("simulated"));

        HttpResponse<String> openAi = http.post("/v1/chat/completions", openAiChat(model, true));
        assertEquals(500, openAi.statusCode());
        JsonNode error = SimulatorHttp.json(openAi).path("error");
        assertEquals("server_error", error.path("type").stringValue());
        assertTrue(error.path("message").isString());
        assertEquals(2, simulator.metrics().failures(model, FailureKind.ERROR));
    }

    @Test
    void partialErrorRateFailsTheSameRequestsForTheSameSeed() throws Exception {
        ModelBehaviour flaky = ModelBehaviour.instant().withErrorRate(0.5);
        List<Integer> first = statuses(flaky, 7);
        List<Integer> second = statuses(flaky, 7);
        assertEquals(first, second, "same seed, same failures");
        assertTrue(first.contains(500) && first.contains(200), first.toString());
        assertNotEquals(first, statuses(flaky, 8), "another seed, another sequence");
    }

    private static List<Integer> statuses(ModelBehaviour behaviour, long seed) throws Exception {
        try (LlmSimulator own = LlmSimulator.start(
                SimulatorConfig.defaults().withSeed(seed).withModels(List.of()).withModel("flaky", behaviour))) {
            SimulatorHttp client = new SimulatorHttp(own);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                statuses.add(client.post("/v1/chat/completions", openAiChat("flaky", false))
                        .statusCode());
            }
            return statuses;
        }
    }

    @Test
    void unavailableModelAnswers503AtOnce() throws Exception {
        String model =
                model(ModelBehaviour.instant().withUnavailable(true).withTimeToFirstToken(Duration.ofSeconds(30)));
        HttpResponse<String> ollama = http.post("/api/generate", "{\"model\":\"" + model + "\",\"prompt\":\"hi\"}");
        assertEquals(503, ollama.statusCode());
        assertTrue(SimulatorHttp.json(ollama).path("error").isString());
        HttpResponse<String> openAi = http.post("/v1/embeddings", "{\"model\":\"" + model + "\",\"input\":\"hi\"}");
        assertEquals(503, openAi.statusCode());
        assertEquals(
                "server_error",
                SimulatorHttp.json(openAi).path("error").path("type").stringValue());
    }

    @Test
    void resetMidStreamCutsTheConnectionAfterSomeChunks() throws Exception {
        String model = model(ModelBehaviour.instant()
                .withOutputTokens(20)
                .withResetAfterTokens(3)
                .withInterTokenLatency(Duration.ofMillis(5)));
        HttpResponse<InputStream> response = http.postStream("/api/chat", ollamaChat(model, true));
        assertEquals(200, response.statusCode(), "headers were sent before the reset");
        List<String> lines = new ArrayList<>();
        IOException failure = null;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            failure = e;
        }
        assertTrue(lines.size() <= 3, "at most the 3 chunks before the reset: " + lines);
        boolean sawDone = lines.stream().anyMatch(l -> l.contains("\"done\":true"));
        assertFalse(sawDone, "the stream never completes");
        assertTrue(failure != null || lines.size() < 21, "the client sees an error or an incomplete stream");
        Await.until(
                "the reset is counted",
                Duration.ofSeconds(5),
                () -> simulator.metrics().failures(model, FailureKind.RESET) == 1);
    }

    @Test
    void resetAfterZeroTokensFailsBeforeAnyResponseByte() {
        String model = model(ModelBehaviour.instant().withResetAfterTokens(0));
        assertThrows(IOException.class, () -> http.post("/v1/chat/completions", openAiChat(model, false)));
        assertThrows(IOException.class, () -> http.post("/api/chat", ollamaChat(model, true)));
    }

    @Test
    void hangNeverSendsHeadersSoTheClientTimesOutAndTheSlotIsFreed() throws Exception {
        String model = model(ModelBehaviour.instant().withHang(true));
        long started = System.nanoTime();
        assertThrows(
                HttpTimeoutException.class,
                () -> http.post("/v1/chat/completions", openAiChat(model, true), Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(300).toNanos());
        assertEquals(1, simulator.metrics().failures(model, FailureKind.HANG));
        Await.until(
                "the hung request's slot is released after the client gave up",
                Duration.ofSeconds(10),
                () -> simulator.metrics().runningRequests(model) == 0);
    }

    @Test
    void slowStartDelaysTheResponseHeadersByAtLeastTheConfiguredTime() throws Exception {
        Duration slowStart = Duration.ofMillis(250);
        String model = model(ModelBehaviour.instant().withSlowStart(slowStart));
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.postStream("/api/chat", ollamaChat(model, true));
        long headersAfter = System.nanoTime() - started;
        assertEquals(200, response.statusCode());
        response.body().close();
        assertTrue(headersAfter >= slowStart.toNanos(), "headers after " + headersAfter / 1_000_000 + " ms");
    }

    @Test
    void timeToFirstTokenAndInterTokenLatencyShapeTheStream() throws Exception {
        Duration ttft = Duration.ofMillis(150);
        Duration gap = Duration.ofMillis(20);
        String model = model(ModelBehaviour.instant()
                .withTimeToFirstToken(ttft)
                .withInterTokenLatency(gap)
                .withOutputTokens(6));
        long started = System.nanoTime();
        HttpResponse<InputStream> response =
                http.postStream("/api/generate", "{\"model\":\"" + model + "\",\"prompt\":\"hi\"}");
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            reader.readLine();
            long firstToken = System.nanoTime() - started;
            List<String> rest = reader.lines().toList();
            long total = System.nanoTime() - started;
            assertTrue(firstToken >= ttft.toNanos(), "first token after " + firstToken / 1_000_000 + " ms");
            assertTrue(total >= ttft.toNanos() + 5 * gap.toNanos(), "stream took " + total / 1_000_000 + " ms");
            JsonNode done = SimulatorHttp.json(rest.getLast());
            assertTrue(done.path("prompt_eval_duration").asLong() >= ttft.toNanos());
            assertTrue(done.path("eval_duration").asLong() >= 5 * gap.toNanos());
        }
    }

    @Test
    void loadTimeIsPaidOnceAndReportedAsLoadDuration() throws Exception {
        Duration load = Duration.ofMillis(120);
        String model = model(ModelBehaviour.instant().withLoadTime(load));
        String request = "{\"model\":\"" + model + "\",\"prompt\":\"hi\",\"stream\":false}";
        JsonNode cold = SimulatorHttp.json(http.post("/api/generate", request));
        JsonNode warm = SimulatorHttp.json(http.post("/api/generate", request));
        assertEquals(load.toNanos(), cold.path("load_duration").asLong());
        assertEquals(0, warm.path("load_duration").asLong());
        assertTrue(cold.path("total_duration").asLong() >= load.toNanos());
    }
}
