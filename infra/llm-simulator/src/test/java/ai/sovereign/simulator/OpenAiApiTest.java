package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.generation.TokenCounter;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAI dialect, with SSE framing checked line by line against OpenAI's documented format. */
class OpenAiApiTest {

    private static final String CHAT = """
            {"model":"llama3.1:8b","seed":11,"temperature":0.2,"user":"u1",
             "messages":[{"role":"user","content":[{"type":"text","text":"Hello, world!"}]}]}""";

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(10))
                .withModels("llama3.1:8b", "text-embedding-3-small"));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    /** Splits an SSE body into event payloads, asserting every event is "data: ..." plus a blank line. */
    private static List<String> events(List<String> lines) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 2) {
            assertTrue(lines.get(i).startsWith("data: "), "line " + i + " is a data line: " + lines.get(i));
            assertEquals("", lines.get(i + 1), "line " + (i + 1) + " is the blank separator");
            payloads.add(lines.get(i).substring("data: ".length()));
        }
        return payloads;
    }

    @Test
    void streamedChatIsSseWithRoleFirstFinishReasonUsageChunkAndDone() throws Exception {
        HttpResponse<Stream<String>> response = http.postLines(
                "/v1/chat/completions",
                CHAT.replace("\"seed\"", "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"seed\""));
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        List<String> events = events(response.body().toList());

        assertEquals("[DONE]", events.getLast());
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream()
                .map(SimulatorHttp::json)
                .toList();
        assertEquals(13, chunks.size(), "role chunk, 10 token chunks, finish chunk, usage chunk");
        String id = chunks.getFirst().path("id").stringValue();
        for (JsonNode chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.path("object").stringValue());
            assertEquals(id, chunk.path("id").stringValue());
            assertEquals("llama3.1:8b", chunk.path("model").stringValue());
            assertTrue(chunk.path("created").isIntegralNumber());
        }
        assertEquals(
                "assistant",
                chunks.getFirst()
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("role")
                        .stringValue());
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks.subList(0, 11)) {
            assertTrue(chunk.path("choices").path(0).path("finish_reason").isNull());
            assertTrue(
                    chunk.has("usage") && chunk.path("usage").isNull(), "include_usage puts usage:null on every chunk");
            text.append(
                    chunk.path("choices").path(0).path("delta").path("content").asString(""));
        }
        JsonNode finish = chunks.get(11);
        assertEquals(
                "stop", finish.path("choices").path(0).path("finish_reason").stringValue());
        assertTrue(finish.path("choices").path(0).path("delta").isEmpty());
        JsonNode usageChunk = chunks.getLast();
        assertTrue(usageChunk.path("choices").isArray()
                && usageChunk.path("choices").isEmpty());
        assertEquals(4, usageChunk.path("usage").path("prompt_tokens").asInt());
        assertEquals(10, usageChunk.path("usage").path("completion_tokens").asInt());
        assertEquals(14, usageChunk.path("usage").path("total_tokens").asInt());
        assertEquals(10, TokenCounter.count(text));
    }

    @Test
    void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
        List<String> events =
                events(http.postLines("/v1/chat/completions", CHAT.replace("\"seed\"", "\"stream\":true,\"seed\""))
                        .body()
                        .toList());
        assertEquals(13, events.size(), "role, 10 tokens, finish, [DONE]");
        for (String event : events.subList(0, 12)) {
            assertFalse(SimulatorHttp.json(event).has("usage"));
        }
    }

    @Test
    void nonStreamedChatHasTheSameTextAndUsageAsTheStream() throws Exception {
        List<String> events = events(http.postLines(
                        "/v1/chat/completions",
                        CHAT.replace(
                                "\"seed\"", "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"seed\""))
                .body()
                .toList());
        StringBuilder streamed = new StringBuilder();
        events.subList(0, events.size() - 1)
                .forEach(e -> streamed.append(SimulatorHttp.json(e)
                        .path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asString("")));
        JsonNode streamedUsage =
                SimulatorHttp.json(events.get(events.size() - 2)).path("usage");

        HttpResponse<String> response = http.post("/v1/chat/completions", CHAT);
        assertEquals(200, response.statusCode());
        JsonNode body = SimulatorHttp.json(response);
        assertEquals("chat.completion", body.path("object").stringValue());
        JsonNode choice = body.path("choices").path(0);
        assertEquals("assistant", choice.path("message").path("role").stringValue());
        assertEquals(streamed.toString(), choice.path("message").path("content").stringValue());
        assertEquals("stop", choice.path("finish_reason").stringValue());
        assertEquals(streamedUsage, body.path("usage"));
    }

    @Test
    void maxTokensEndsTheAnswerWithFinishReasonLength() throws Exception {
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode body = SimulatorHttp.json(
                    http.post("/v1/chat/completions", CHAT.replace("\"seed\"", "\"" + field + "\":4,\"seed\"")));
            assertEquals(
                    "length", body.path("choices").path(0).path("finish_reason").stringValue(), field);
            assertEquals(4, body.path("usage").path("completion_tokens").asInt(), field);
        }
    }

    @Test
    void stopSequenceIsNotIncludedInTheAnswer() throws Exception {
        String full = SimulatorHttp.json(
                        http.post("/v1/chat/completions", CHAT.replace("\"seed\"", "\"max_tokens\":3,\"seed\"")))
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .stringValue();
        String secondWord = full.split(" ")[1];
        JsonNode stopped = SimulatorHttp.json(http.post(
                "/v1/chat/completions", CHAT.replace("\"seed\"", "\"stop\":[\" " + secondWord + "\"],\"seed\"")));
        assertEquals(
                full.split(" ")[0],
                stopped.path("choices").path(0).path("message").path("content").stringValue());
        assertEquals(
                "stop", stopped.path("choices").path(0).path("finish_reason").stringValue());
        assertEquals(1, stopped.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void forcedToolChoiceAnswersWithToolCallsInBothModes() throws Exception {
        String body = """
                {"model":"llama3.1:8b","messages":[{"role":"user","content":"What's the weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}}}}}],
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}}}""";
        JsonNode reply = SimulatorHttp.json(http.post("/v1/chat/completions", body));
        JsonNode choice = reply.path("choices").path(0);
        assertEquals("tool_calls", choice.path("finish_reason").stringValue());
        assertTrue(choice.path("message").path("content").isNull());
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertEquals("function", call.path("type").stringValue());
        assertTrue(call.path("id").stringValue().startsWith("call_"));
        assertEquals("get_weather", call.path("function").path("name").stringValue());
        assertTrue(
                SimulatorHttp.json(call.path("function").path("arguments").stringValue())
                        .path("city")
                        .isString(),
                "OpenAI sends arguments as a JSON string");

        List<String> events = events(
                http.postLines("/v1/chat/completions", body.replace("\"messages\"", "\"stream\":true,\"messages\""))
                        .body()
                        .toList());
        JsonNode opening =
                SimulatorHttp.json(events.getFirst()).path("choices").path(0).path("delta");
        assertEquals("assistant", opening.path("role").stringValue());
        assertEquals(
                "get_weather",
                opening.path("tool_calls").path(0).path("function").path("name").stringValue());
        assertEquals(call.path("id"), opening.path("tool_calls").path(0).path("id"));
        String arguments = SimulatorHttp.json(events.get(1))
                .path("choices")
                .path(0)
                .path("delta")
                .path("tool_calls")
                .path(0)
                .path("function")
                .path("arguments")
                .stringValue();
        assertEquals(call.path("function").path("arguments").stringValue(), arguments);
        assertEquals(
                "tool_calls",
                SimulatorHttp.json(events.get(2))
                        .path("choices")
                        .path(0)
                        .path("finish_reason")
                        .stringValue());
        assertEquals("[DONE]", events.getLast());
    }

    @Test
    void legacyCompletionsStreamTextChunksAndReturnTextCompletion() throws Exception {
        String request = "{\"model\":\"llama3.1:8b\",\"prompt\":\"Once upon a time\",\"max_tokens\":5";
        JsonNode body = SimulatorHttp.json(http.post("/v1/completions", request + "}"));
        assertEquals("text_completion", body.path("object").stringValue());
        assertEquals(
                "length", body.path("choices").path(0).path("finish_reason").stringValue());
        assertEquals(4, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(5, body.path("usage").path("completion_tokens").asInt());

        List<String> events = events(http.postLines(
                        "/v1/completions", request + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
                .body()
                .toList());
        assertEquals(8, events.size(), "5 text chunks, finish chunk, usage chunk, [DONE]");
        StringBuilder text = new StringBuilder();
        events.subList(0, 5)
                .forEach(e -> text.append(SimulatorHttp.json(e)
                        .path("choices")
                        .path(0)
                        .path("text")
                        .stringValue()));
        assertEquals(body.path("choices").path(0).path("text").stringValue(), text.toString());
        assertEquals(
                "length",
                SimulatorHttp.json(events.get(5))
                        .path("choices")
                        .path(0)
                        .path("finish_reason")
                        .stringValue());
        assertEquals(body.path("usage"), SimulatorHttp.json(events.get(6)).path("usage"));
    }

    @Test
    void embeddingsReturnFloatsOrBase64AndHonourDimensions() throws Exception {
        JsonNode floats = SimulatorHttp.json(http.post(
                "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta gamma\"]}"));
        assertEquals("list", floats.path("object").stringValue());
        assertEquals(2, floats.path("data").size());
        assertEquals(1536, floats.path("data").path(0).path("embedding").size());
        assertEquals(1, floats.path("data").path(1).path("index").asInt());
        assertEquals(3, floats.path("usage").path("prompt_tokens").asInt());

        JsonNode base64 = SimulatorHttp.json(http.post(
                "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":\"alpha\",\"encoding_format\":\"base64\"}"));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder()
                        .decode(base64.path("data").path(0).path("embedding").stringValue()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1536 * 4, bytes.remaining());
        assertEquals(floats.path("data").path(0).path("embedding").path(0).floatValue(), bytes.getFloat(0));

        JsonNode short_ = SimulatorHttp.json(http.post(
                "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"alpha\",\"dimensions\":256}"));
        assertEquals(256, short_.path("data").path(0).path("embedding").size());
        assertEquals(
                400,
                http.post(
                                "/v1/embeddings",
                                "{\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"dimensions\":5000}")
                        .statusCode());
    }

    @Test
    void modelsListsEveryServedModel() throws Exception {
        JsonNode body = SimulatorHttp.json(http.get("/v1/models"));
        assertEquals("list", body.path("object").stringValue());
        List<String> ids = new ArrayList<>();
        body.path("data").forEach(m -> ids.add(m.path("id").stringValue()));
        assertTrue(ids.containsAll(List.of("llama3.1:8b", "text-embedding-3-small")), ids.toString());
        assertEquals("model", body.path("data").path(0).path("object").stringValue());
        assertEquals(
                "llama3.1:8b",
                SimulatorHttp.json(http.get("/v1/models/llama3.1:8b"))
                        .path("id")
                        .stringValue());
    }

    @Test
    void unknownModelIsA404ModelNotFound() throws Exception {
        HttpResponse<String> response = http.post("/v1/chat/completions", CHAT.replace("llama3.1:8b", "gpt-ghost"));
        assertEquals(404, response.statusCode());
        JsonNode error = SimulatorHttp.json(response).path("error");
        assertEquals("model_not_found", error.path("code").stringValue());
        assertEquals("invalid_request_error", error.path("type").stringValue());
        assertTrue(error.has("param") && error.has("message"));
    }

    @Test
    void clientErrorsAre400InOpenAisFormatNeverA500() throws Exception {
        for (String body : List.of(
                "{broken",
                "[1,2]",
                "{\"messages\":[]}",
                CHAT.replace("\"seed\"", "\"n\":2,\"seed\""),
                CHAT.replace("\"seed\"", "\"max_tokens\":0,\"seed\""),
                CHAT.replace("\"seed\":11", "\"seed\":\"x\""),
                "{\"model\":\"llama3.1:8b\",\"messages\":\"hi\"}")) {
            HttpResponse<String> response = http.post("/v1/chat/completions", body);
            assertEquals(400, response.statusCode(), body);
            assertEquals(
                    "invalid_request_error",
                    SimulatorHttp.json(response).path("error").path("type").stringValue(),
                    body);
        }
        assertEquals(
                "n",
                SimulatorHttp.json(http.post("/v1/chat/completions", CHAT.replace("\"seed\"", "\"n\":3,\"seed\"")))
                        .path("error")
                        .path("param")
                        .stringValue());
    }
}
