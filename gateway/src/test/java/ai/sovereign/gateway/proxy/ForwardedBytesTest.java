package ai.sovereign.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.openai.OpenAiDialect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway forwards the client's own bytes where it can and meters token chunks without parsing them: the
 * shortcuts must send and count exactly what the parse-and-serialise path did.
 */
class ForwardedBytesTest {

    private static InferenceForwarder.Call call(String body, boolean stream, boolean wantsUsage) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        return new InferenceForwarder.Call(
                null,
                "/v1/chat/completions",
                "/v1/chat/completions",
                JsonBodies.parseObject(raw),
                raw,
                "m",
                stream,
                wantsUsage,
                null,
                0);
    }

    @Test
    void aNonStreamedBodyGoesToTheRouterAsTheClientSentIt() {
        String body =
                "{ \"model\": \"m\", \"tools\": [{\"type\":\"function\"}], \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}] }";
        InferenceForwarder.Call call = call(body, false, false);
        assertArrayEquals(call.rawBody(), InferenceForwarder.upstreamBody(call));
    }

    @Test
    void aStreamAsksForUsageBySplicingTheOptionIntoTheClientsBytes() {
        String body =
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"x\\\":1}\"}]}";
        String sent = new String(InferenceForwarder.upstreamBody(call(body, true, false)), StandardCharsets.UTF_8);
        assertEquals("{\"stream_options\":{\"include_usage\":true}," + body.substring(1), sent);
        JsonNode parsed = JsonBodies.MAPPER.readTree(sent);
        ((ObjectNode) parsed).remove("stream_options");
        assertEquals(JsonBodies.MAPPER.readTree(body), parsed);
    }

    @Test
    void aStreamWithItsOwnStreamOptionsGetsIncludeUsageSetThere() {
        String body =
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\"}]}";
        JsonNode sent = JsonBodies.MAPPER.readTree(InferenceForwarder.upstreamBody(call(body, true, false)));
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
        assertEquals("m", sent.path("model").asString());
    }

    @Test
    void aTranslatedBodyIsSerialised() {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("model", "m").put("stream", true);
        InferenceForwarder.Call call = new InferenceForwarder.Call(
                null, "/api/chat", "/v1/chat/completions", body, null, "m", true, false, null, 0);
        JsonNode sent = JsonBodies.MAPPER.readTree(InferenceForwarder.upstreamBody(call));
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void streamedChunksAreMeteredAndFilteredAsIfEachWereParsed() {
        List<String> lines = List.of(
                "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"lo\\n\"}}]}", "",
                "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}", "",
                "data: {\"choices\":[{\"text\":\"x\"}]}", "",
                "data: {\"choices\":[{\"delta\":{\"content\":null},\"finish_reason\":\"stop\"}]}", "",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}", "",
                "data: [DONE]", "");
        for (boolean wantsUsage : new boolean[] {false, true}) {
            UsageTally tally = new UsageTally();
            Dialect.StreamTranslator translator = OpenAiDialect.INSTANCE.newStream(tally, wantsUsage);
            StringBuilder out = new StringBuilder();
            for (String line : lines) {
                out.append(new String(translator.onLine(line), StandardCharsets.UTF_8));
            }
            assertEquals(3, tally.promptTokens());
            assertEquals(4, tally.completionTokens());
            assertTrue(tally.firstTokenNanos() > 0);
            assertEquals(wantsUsage, out.toString().contains("\"usage\""));
            assertTrue(out.toString().endsWith("data: [DONE]\n\n"));
        }
    }

    @Test
    void withoutAUsageChunkEveryContentChunkCountsOnce() {
        UsageTally tally = new UsageTally();
        Dialect.StreamTranslator translator = OpenAiDialect.INSTANCE.newStream(tally, false);
        for (String line : List.of(
                "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}",
                "data: {\"choices\":[{\"delta\":{\"content\":\"b\\\"\"}}]}",
                "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}",
                "data: {\"choices\":[{\"text\":\"c\"}]}",
                "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}")) {
            translator.onLine(line);
        }
        assertEquals(4, tally.completionTokens());
    }
}
