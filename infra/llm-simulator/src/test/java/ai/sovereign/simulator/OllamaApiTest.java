package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.generation.TokenCounter;
import ai.sovereign.simulator.metrics.Endpoint;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Ollama dialect's inference endpoints, checked against Ollama's documented wire format. */
class OllamaApiTest {

    private static final String MODEL = "llama3.1:8b";
    private static final String CHAT = """
            {"model":"llama3.1:8b","messages":[{"role":"system","content":"Be brief."},
             {"role":"user","content":"Hello, world!"}],"options":{"seed":7},"unknown_field":{"x":1}}""";

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(12))
                .withModels(MODEL, "nomic-embed-text"));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void chatStreamsNdjsonLinesEndingWithDoneAndExactCounts() throws Exception {
        HttpResponse<Stream<String>> response = http.postLines("/api/chat", CHAT);
        assertEquals(200, response.statusCode());
        assertEquals(
                "application/x-ndjson",
                response.headers().firstValue("content-type").orElseThrow());
        List<String> lines = response.body().toList();
        assertEquals(13, lines.size(), "12 token lines and the done line");
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(0, 12)) {
            JsonNode chunk = SimulatorHttp.json(line);
            assertEquals(MODEL, chunk.path("model").stringValue());
            assertTrue(chunk.path("created_at").isString());
            assertEquals("assistant", chunk.path("message").path("role").stringValue());
            assertFalse(chunk.path("done").booleanValue());
            text.append(chunk.path("message").path("content").stringValue());
        }
        JsonNode done = SimulatorHttp.json(lines.getLast());
        assertTrue(done.path("done").booleanValue());
        assertEquals("stop", done.path("done_reason").stringValue());
        assertEquals("", done.path("message").path("content").stringValue());
        assertEquals(7, done.path("prompt_eval_count").asInt(), "3 tokens in 'Be brief.' and 4 in 'Hello, world!'");
        assertEquals(12, done.path("eval_count").asInt());
        for (String field : List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
            assertTrue(done.path(field).isIntegralNumber(), field);
        }
        assertEquals(12, TokenCounter.count(text));
    }

    @Test
    void nonStreamedChatIsTheFinalObjectWithTheSameTextAndCounts() throws Exception {
        List<String> lines = http.postLines("/api/chat", CHAT).body().toList();
        StringBuilder streamed = new StringBuilder();
        lines.subList(0, lines.size() - 1)
                .forEach(l -> streamed.append(
                        SimulatorHttp.json(l).path("message").path("content").stringValue()));
        JsonNode streamedDone = SimulatorHttp.json(lines.getLast());

        HttpResponse<String> response =
                http.post("/api/chat", CHAT.replace("\"options\"", "\"stream\":false,\"options\""));
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonNode single = SimulatorHttp.json(response);
        assertTrue(single.path("done").booleanValue());
        assertEquals(streamed.toString(), single.path("message").path("content").stringValue());
        assertEquals(streamedDone.path("eval_count"), single.path("eval_count"));
        assertEquals(streamedDone.path("prompt_eval_count"), single.path("prompt_eval_count"));
    }

    @Test
    void numPredictLimitsTheAnswerAndReportsLength() throws Exception {
        JsonNode done = SimulatorHttp.json(http.post(
                "/api/generate",
                "{\"model\":\"llama3.1:8b\",\"prompt\":\"Why?\",\"stream\":false,\"options\":{\"num_predict\":3}}"));
        assertEquals("length", done.path("done_reason").stringValue());
        assertEquals(3, done.path("eval_count").asInt());
        assertEquals(2, done.path("prompt_eval_count").asInt());
        assertEquals(3, TokenCounter.count(done.path("response").stringValue()));
    }

    @Test
    void generateStreamsResponseFieldsWithDoneLast() throws Exception {
        List<String> lines = http.postLines("/api/generate", "{\"model\":\"llama3.1:8b\",\"prompt\":\"Tell me\"}")
                .body()
                .toList();
        assertEquals(13, lines.size());
        assertTrue(SimulatorHttp.json(lines.getFirst()).path("response").isString());
        JsonNode done = SimulatorHttp.json(lines.getLast());
        assertTrue(done.path("done").booleanValue());
        assertEquals(12, done.path("eval_count").asInt());
    }

    @Test
    void unknownModelIsA404WithOllamasExactMessage() throws Exception {
        HttpResponse<String> response =
                http.post("/api/chat", "{\"model\":\"ghost\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(404, response.statusCode());
        assertEquals("{\"error\":\"model \\\"ghost\\\" not found, try pulling it first\"}", response.body());
    }

    @Test
    void malformedJsonOrMissingModelIsA400InOllamasFormat() throws Exception {
        HttpResponse<String> bad = http.post("/api/chat", "{not json");
        assertEquals(400, bad.statusCode());
        assertTrue(SimulatorHttp.json(bad).path("error").isString());
        HttpResponse<String> missing = http.post("/api/generate", "{\"prompt\":\"hi\"}");
        assertEquals(400, missing.statusCode());
        assertEquals(
                "model is required", SimulatorHttp.json(missing).path("error").stringValue());
        HttpResponse<String> wrongType = http.post(
                "/api/generate",
                "{\"model\":\"llama3.1:8b\",\"prompt\":\"hi\",\"options\":{\"num_predict\":\"many\"}}");
        assertEquals(400, wrongType.statusCode());
    }

    @Test
    void tagWithoutVersionResolvesToLatest() throws Exception {
        simulator.addModel("mistral:latest");
        JsonNode done = SimulatorHttp.json(
                http.post("/api/generate", "{\"model\":\"mistral\",\"prompt\":\"hi\",\"stream\":false}"));
        assertEquals("mistral", done.path("model").stringValue());
        assertTrue(done.path("done").booleanValue());
    }

    @Test
    void chatWithToolsAndCallTriggerAnswersWithOllamaToolCalls() throws Exception {
        String body = """
                {"model":"llama3.1:8b","stream":false,"messages":[{"role":"user","content":"call get_weather for Paris"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}}]}""";
        JsonNode done = SimulatorHttp.json(http.post("/api/chat", body));
        JsonNode call = done.path("message").path("tool_calls").path(0).path("function");
        assertEquals("get_weather", call.path("name").stringValue());
        assertTrue(call.path("arguments").isObject(), "Ollama sends arguments as an object");
        assertTrue(call.path("arguments").path("city").isString());
        assertEquals("stop", done.path("done_reason").stringValue());

        List<String> lines = http.postLines("/api/chat", body.replace("\"stream\":false,", ""))
                .body()
                .toList();
        assertEquals(2, lines.size(), "one tool-call line and the done line");
        assertEquals(
                "get_weather",
                SimulatorHttp.json(lines.getFirst())
                        .path("message")
                        .path("tool_calls")
                        .path(0)
                        .path("function")
                        .path("name")
                        .stringValue());
    }

    @Test
    void embedReturnsOneUnitVectorPerInputWithTheModelsDimensions() throws Exception {
        JsonNode body = SimulatorHttp.json(
                http.post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[\"one\",\"two words\"]}"));
        JsonNode embeddings = body.path("embeddings");
        assertEquals(2, embeddings.size());
        assertEquals(768, embeddings.path(0).size());
        double norm = 0;
        for (JsonNode v : embeddings.path(0)) {
            norm += v.asDouble() * v.asDouble();
        }
        assertEquals(1.0, norm, 1e-4);
        assertEquals(3, body.path("prompt_eval_count").asInt());

        JsonNode again =
                SimulatorHttp.json(http.post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":\"one\"}"));
        assertEquals(embeddings.path(0), again.path("embeddings").path(0), "same text, same vector");
    }

    @Test
    void legacyEmbeddingsTakesPromptAndReturnsEmbedding() throws Exception {
        JsonNode legacy =
                SimulatorHttp.json(http.post("/api/embeddings", "{\"model\":\"nomic-embed-text\",\"prompt\":\"one\"}"));
        JsonNode modern =
                SimulatorHttp.json(http.post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":\"one\"}"));
        assertEquals(modern.path("embeddings").path(0), legacy.path("embedding"));
    }

    @Test
    void showDescribesTheModelAndVersionAnswers() throws Exception {
        JsonNode show = SimulatorHttp.json(http.post("/api/show", "{\"model\":\"nomic-embed-text\"}"));
        assertEquals("nomic-bert", show.path("details").path("family").stringValue());
        assertEquals(
                768, show.path("model_info").path("nomic-bert.embedding_length").asInt());
        assertEquals("embedding", show.path("capabilities").path(0).stringValue());
        assertEquals(404, http.post("/api/show", "{\"model\":\"ghost\"}").statusCode());
        assertTrue(SimulatorHttp.json(http.get("/api/version")).path("version").isString());
        assertEquals("Ollama is running", http.get("/").body());
    }

    @Test
    void requestsAreCountedPerEndpoint() throws Exception {
        long before = simulator.metrics().requests(Endpoint.OLLAMA_VERSION);
        http.get("/api/version");
        http.get("/api/version");
        assertEquals(before + 2, simulator.metrics().requests(Endpoint.OLLAMA_VERSION));
    }
}
