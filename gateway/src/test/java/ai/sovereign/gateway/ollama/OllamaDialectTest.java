package ai.sovereign.gateway.ollama;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static ai.sovereign.gateway.support.GatewayFixture.EMBED_MODEL;
import static ai.sovereign.gateway.support.GatewayFixture.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** Ollama clients through the gateway, translated to the upstream's OpenAI API (the simulator) and back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OllamaDialectTest {

    private GatewayFixture gateway;
    private Key key;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
        key = gateway.createKey(
                "{\"name\":\"ollama-app\",\"tenant\":\"acme\",\"allowed_models\":[\"llama*\",\"nomic-*\"]}");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private static String chat(boolean stream) {
        return "{\"model\":\"" + CHAT_MODEL + "\",\"stream\":" + stream + ",\"options\":{\"seed\":3,\"num_predict\":9},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Explain tokens\"}]}";
    }

    private static List<JsonNode> ndjson(String body) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void chatStreamedAndNotAgreesWithTheOpenAiCounts() {
        Reply openAi = gateway.send(
                "POST",
                "/v1/chat/completions",
                key.secret(),
                "{\"model\":\"" + CHAT_MODEL
                        + "\",\"seed\":3,\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"Explain tokens\"}]}");
        JsonNode usage = openAi.json().get("usage");
        String text = openAi.json()
                .get("choices")
                .get(0)
                .get("message")
                .get("content")
                .stringValue();

        Reply whole = gateway.send("POST", "/api/chat", key.secret(), chat(false));
        assertEquals(200, whole.status(), whole.body());
        JsonNode answer = whole.json();
        assertEquals(text, answer.get("message").get("content").stringValue());
        assertEquals(
                usage.get("prompt_tokens").intValue(),
                answer.get("prompt_eval_count").intValue());
        assertEquals(9, answer.get("eval_count").intValue());
        assertEquals("length", answer.get("done_reason").stringValue());
        assertTrue(answer.get("total_duration").longValue() > 0);

        Reply streamed = gateway.send("POST", "/api/chat", key.secret(), chat(true));
        assertEquals(200, streamed.status());
        assertTrue(streamed.header("Content-Type").startsWith("application/x-ndjson"));
        List<JsonNode> lines = ndjson(streamed.body());
        StringBuilder joined = new StringBuilder();
        lines.forEach(l -> joined.append(l.path("message").path("content").asString("")));
        assertEquals(text, joined.toString());
        JsonNode last = lines.getLast();
        assertTrue(last.get("done").booleanValue());
        assertTrue(lines.subList(0, lines.size() - 1).stream()
                .noneMatch(l -> l.get("done").booleanValue()));
        assertEquals(9, last.get("eval_count").intValue());
        assertEquals(
                usage.get("prompt_tokens").intValue(),
                last.get("prompt_eval_count").intValue());
        assertEquals(
                last.get("total_duration").longValue(),
                last.get("prompt_eval_duration").longValue()
                        + last.get("eval_duration").longValue());
    }

    @Test
    void toolCallsComeBackWithObjectArguments() {
        String body = "{\"model\":\"" + CHAT_MODEL + "\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"call get_weather for Paris\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]}";
        Reply whole = gateway.send("POST", "/api/chat", key.secret(), body.formatted("false"));
        assertEquals(200, whole.status(), whole.body());
        JsonNode call = whole.json().get("message").get("tool_calls").get(0).get("function");
        assertEquals("get_weather", call.get("name").stringValue());
        assertTrue(call.get("arguments").isObject());
        assertTrue(call.get("arguments").has("city"));

        Reply streamed = gateway.send("POST", "/api/chat", key.secret(), body.formatted("true"));
        JsonNode streamedCall = ndjson(streamed.body()).stream()
                .filter(l -> l.path("message").path("tool_calls").isArray())
                .findFirst()
                .orElseThrow()
                .get("message")
                .get("tool_calls")
                .get(0)
                .get("function");
        assertEquals(call, streamedCall);
    }

    @Test
    void generateStreamsResponsesAndEndsWithCounts() {
        Reply streamed = gateway.send(
                "POST",
                "/api/generate",
                key.secret(),
                "{\"model\":\"" + CHAT_MODEL
                        + "\",\"prompt\":\"Why is the sky blue?\",\"options\":{\"num_predict\":4}}");
        assertEquals(200, streamed.status(), streamed.body());
        List<JsonNode> lines = ndjson(streamed.body());
        assertEquals(5, lines.size(), "four tokens and the done line");
        assertEquals(4, lines.getLast().get("eval_count").intValue());
        assertTrue(lines.getFirst().has("response"));

        Reply load = gateway.send("POST", "/api/generate", key.secret(), "{\"model\":\"" + CHAT_MODEL + "\"}");
        assertEquals("load", load.json().get("done_reason").stringValue());
    }

    @Test
    void embeddingsInBothShapes() {
        Reply embed = gateway.send(
                "POST", "/api/embed", key.secret(), "{\"model\":\"" + EMBED_MODEL + "\",\"input\":[\"a\",\"b\"]}");
        assertEquals(200, embed.status(), embed.body());
        assertEquals(2, embed.json().get("embeddings").size());
        assertEquals(768, embed.json().get("embeddings").get(0).size());
        assertTrue(embed.json().get("prompt_eval_count").intValue() > 0);

        Reply legacy = gateway.send(
                "POST", "/api/embeddings", key.secret(), "{\"model\":\"" + EMBED_MODEL + "\",\"prompt\":\"a\"}");
        assertEquals(200, legacy.status(), legacy.body());
        assertEquals(768, legacy.json().get("embedding").size());
    }

    @Test
    void tagsPsShowAndVersion() {
        Reply tags = gateway.send("GET", "/api/tags", key.secret(), null);
        assertEquals(200, tags.status());
        List<String> names = new ArrayList<>();
        tags.json().get("models").forEach(m -> names.add(m.get("name").stringValue()));
        assertEquals(
                List.of(CHAT_MODEL, EMBED_MODEL).stream().sorted().toList(),
                names.stream().sorted().toList());
        assertEquals(200, gateway.send("GET", "/api/ps", key.secret(), null).status());

        Reply show = gateway.send("POST", "/api/show", key.secret(), "{\"model\":\"" + EMBED_MODEL + "\"}");
        assertEquals(200, show.status(), show.body());
        assertEquals("embedding", show.json().get("capabilities").get(0).stringValue());

        Reply forbidden = gateway.send("POST", "/api/show", key.secret(), "{\"model\":\"qwen2.5:7b\"}");
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.json().get("error").isString(), "Ollama routes answer {\"error\": \"...\"}");

        Reply version = gateway.send("GET", "/api/version", null, null);
        assertEquals(200, version.status());
        assertFalse(version.json().get("version").stringValue().isEmpty());
    }

    @Test
    void errorsUseOllamasShape() {
        Reply unauthenticated = gateway.send("POST", "/api/chat", null, chat(false));
        assertEquals(401, unauthenticated.status());
        assertTrue(unauthenticated.json().get("error").isString());

        Reply bad = gateway.send(
                "POST", "/api/chat", key.secret(), "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":\"x\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").stringValue().contains("messages"));

        gateway.simulator.addModel("llama-gone:1b");
        gateway.simulator.removeModel("llama-gone:1b");
        Reply missing =
                gateway.send("POST", "/api/chat", key.secret(), chat(false).replace(CHAT_MODEL, "llama-gone:1b"));
        assertEquals(404, missing.status());
        assertTrue(missing.json().get("error").stringValue().contains("llama-gone:1b"));
    }
}
