package ai.sovereign.gateway.openai;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static ai.sovereign.gateway.support.GatewayFixture.EMBED_MODEL;
import static ai.sovereign.gateway.support.GatewayFixture.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The OpenAI dialect through the gateway to an OpenAI-compatible upstream (the simulator standing in for the router). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiProxyTest {

    private GatewayFixture gateway;
    private Key key;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
        key = gateway.createKey("{\"name\":\"app\",\"tenant\":\"acme\",\"allowed_models\":[\"llama*\",\"nomic-*\"]}");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private static String chat(boolean stream, String extra) {
        return "{\"model\":\"" + CHAT_MODEL + "\",\"stream\":" + stream + ",\"seed\":7,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about sovereign clouds\"}]" + extra + "}";
    }

    /** The data payloads of an SSE stream, up to and including [DONE]. */
    private List<String> events(String body) {
        List<String> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        return events;
    }

    @Test
    void nonStreamedChatCarriesTheUpstreamUsageAndContent() {
        long before = gateway.simulator.metrics().generatedTokens(CHAT_MODEL);
        Reply reply = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        assertEquals(200, reply.status(), reply.body());
        JsonNode body = reply.json();
        assertEquals("chat.completion", body.get("object").stringValue());
        assertFalse(body.get("choices")
                .get(0)
                .get("message")
                .get("content")
                .stringValue()
                .isEmpty());
        long completion = body.get("usage").get("completion_tokens").longValue();
        assertEquals(12, completion);
        assertEquals(before + completion, gateway.simulator.metrics().generatedTokens(CHAT_MODEL));
        assertTrue(body.get("usage").get("prompt_tokens").longValue() > 0);
    }

    @Test
    void streamedChatIsSseWithTheSameTokensAsTheWholeAnswer() {
        Reply whole = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        Reply streamed = gateway.send(
                "POST",
                "/v1/chat/completions",
                key.secret(),
                chat(true, ",\"stream_options\":{\"include_usage\":true}"));
        assertEquals(200, streamed.status());
        assertTrue(streamed.header("Content-Type").startsWith("text/event-stream"));
        List<String> events = events(streamed.body());
        assertEquals("[DONE]", events.getLast());
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(event);
            if (chunk.get("choices").isEmpty()) {
                usage = chunk.get("usage");
            } else {
                text.append(
                        chunk.get("choices").get(0).get("delta").path("content").asString(""));
            }
        }
        assertEquals(
                whole.json().get("choices").get(0).get("message").get("content").stringValue(), text.toString());
        assertEquals(whole.json().get("usage"), usage, "token counts are equal streamed and not");
    }

    @Test
    void usageChunkTheClientDidNotAskForIsNotSent() {
        Reply streamed = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(true, ""));
        assertEquals(200, streamed.status());
        for (String event : events(streamed.body())) {
            if (!event.equals("[DONE]")) {
                assertFalse(JSON.readTree(event).get("choices").isEmpty(), "no usage-only chunk: " + event);
            }
        }
    }

    @Test
    void toolCallFieldsSurviveTheRoundTrip() {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
                + "\"tool_choice\":\"required\",\"response_format\":{\"type\":\"text\"}";
        Reply whole = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, tools));
        assertEquals(200, whole.status(), whole.body());
        JsonNode choice = whole.json().get("choices").get(0);
        assertEquals("tool_calls", choice.get("finish_reason").stringValue());
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertEquals("get_weather", call.get("function").get("name").stringValue());
        assertTrue(JSON.readTree(call.get("function").get("arguments").stringValue())
                .has("city"));

        Reply streamed = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(true, tools));
        assertTrue(streamed.body().contains("\"tool_calls\""));
        assertTrue(streamed.body().contains("get_weather"));
        assertTrue(streamed.body().contains("\"finish_reason\":\"tool_calls\""));
    }

    @Test
    void completionsAndEmbeddingsAreForwarded() {
        Reply completion = gateway.send(
                "POST",
                "/v1/completions",
                key.secret(),
                "{\"model\":\"" + CHAT_MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":5}");
        assertEquals(200, completion.status(), completion.body());
        assertEquals(5, completion.json().get("usage").get("completion_tokens").intValue());

        Reply embedding = gateway.send(
                "POST", "/v1/embeddings", key.secret(), "{\"model\":\"" + EMBED_MODEL + "\",\"input\":[\"a\",\"b\"]}");
        assertEquals(200, embedding.status(), embedding.body());
        assertEquals(2, embedding.json().get("data").size());
        assertEquals(768, embedding.json().get("data").get(0).get("embedding").size());
    }

    @Test
    void modelListShowsOnlyAllowedModelsAndOthersAre403() {
        Reply models = gateway.send("GET", "/v1/models", key.secret(), null);
        assertEquals(200, models.status());
        List<String> ids = new ArrayList<>();
        models.json().get("data").forEach(m -> ids.add(m.get("id").stringValue()));
        assertEquals(
                List.of(CHAT_MODEL, EMBED_MODEL).stream().sorted().toList(),
                ids.stream().sorted().toList());

        Reply refused = gateway.send(
                "POST", "/v1/chat/completions", key.secret(), chat(false, "").replace(CHAT_MODEL, "qwen2.5:7b"));
        assertEquals(403, refused.status());
        assertEquals(
                "model_not_allowed", refused.json().get("error").get("code").stringValue());
        assertEquals("permission_error", refused.json().get("error").get("type").stringValue());
    }

    @Test
    void upstreamErrorsReachTheClientWithTheirStatus() {
        gateway.simulator.addModel("broken:1b", ModelBehaviour.instant().withUnavailable(true));
        try {
            Key any = gateway.createKey("{\"name\":\"any\",\"tenant\":\"acme\"}");
            Reply reply = gateway.send(
                    "POST",
                    "/v1/chat/completions",
                    any.secret(),
                    chat(false, "").replace(CHAT_MODEL, "broken:1b"));
            assertEquals(503, reply.status());
            assertTrue(reply.json().get("error").has("message"));
        } finally {
            gateway.simulator.removeModel("broken:1b");
        }
    }

    @Test
    void clientThatGoesAwayCancelsTheUpstreamStream() throws Exception {
        gateway.simulator.addModel(
                "llama-slow:1b",
                ModelBehaviour.instant().withOutputTokens(10_000).withInterTokenLatency(Duration.ofMillis(20)));
        try {
            HttpResponse<InputStream> response = gateway.open(
                    "/v1/chat/completions", key.secret(), chat(true, "").replace(CHAT_MODEL, "llama-slow:1b"));
            assertEquals(200, response.statusCode());
            BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            assertTrue(reader.readLine().startsWith("data: "));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.simulator.metrics().runningRequests("llama-slow:1b") == 1);
            response.body().close();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> gateway.simulator.metrics().runningRequests("llama-slow:1b") == 0);
        } finally {
            gateway.simulator.removeModel("llama-slow:1b");
        }
    }

    @Test
    void metricsNameTheGatewaysMeters() {
        gateway.send("POST", "/v1/chat/completions", key.secret(), chat(true, ""));
        gateway.send("POST", "/v1/chat/completions", key.secret(), "{\"model\": ");
        Reply metrics = gateway.send("GET", "/metrics", null, null);
        for (String name : List.of(
                "gateway_requests_total",
                "gateway_request_duration_seconds",
                "gateway_time_to_first_token_seconds",
                "gateway_tokens_total",
                "gateway_active_requests",
                "gateway_rate_limited_total",
                "gateway_auth_failures_total")) {
            assertTrue(metrics.body().contains(name), name);
        }
        assertTrue(
                metrics.body()
                        .lines()
                        .anyMatch(l -> l.startsWith("gateway_requests_total{")
                                && l.contains("endpoint=\"/v1/chat/completions\"")
                                && l.contains("status=\"200\"")
                                && l.contains("model=\"" + CHAT_MODEL + "\"")),
                "forwarded requests are counted");
        assertTrue(
                metrics.body()
                        .lines()
                        .anyMatch(l -> l.startsWith("gateway_requests_total{")
                                && l.contains("endpoint=\"/v1/chat/completions\"")
                                && l.contains("status=\"400\"")),
                "refused requests too");
    }
}
