package ai.sovereign.router.forward.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.InferenceRequestParser;
import ai.sovereign.router.forward.UsageTally;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI adapter's byte-level shortcuts: the usage option spliced into a body, usage read without a tree. */
class OpenAiAdapterTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final OpenAiAdapter adapter = new OpenAiAdapter(json);

    private InferenceRequest request(String body) {
        return new InferenceRequestParser(json).parse(Endpoint.CHAT, body.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void theUsageOptionIsSplicedIntoTheClientsBytesKeepingEveryOtherField() {
        String body = "  {\"model\":\"m\",\"stream\":true,\"tools\":[{\"type\":\"function\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"{hi}\"}]}";
        JsonNode sent = json.readTree(OpenAiAdapter.spliceUsageOption(body.getBytes(StandardCharsets.UTF_8)));
        JsonNode original = json.readTree(body);
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
        ((tools.jackson.databind.node.ObjectNode) sent).remove("stream_options");
        assertEquals(original, sent);
    }

    @Test
    void aStreamWithoutTheOptionGoesOutAsTheClientsBytesWithTheOptionSpliced() {
        String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertEquals("{\"stream_options\":{\"include_usage\":true}," + body.substring(1), sent(request(body)));
    }

    @Test
    void aStreamWithOtherStreamOptionsGetsIncludeUsageSetInThem() {
        JsonNode sent = json.readTree(
                sent(
                        request(
                                "{\"model\":\"m\",\"stream\":true,"
                                        + "\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
        assertEquals("m", sent.path("model").asString());
    }

    @Test
    void aNonStreamedRequestGoesOutAsTheClientSentIt() {
        String body = "{ \"model\" : \"m\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertEquals(body, sent(request(body)));
    }

    /** The body the adapter sends upstream for {@code request}. */
    private String sent(InferenceRequest request) {
        var upstream = adapter.toUpstream(
                new ai.sovereign.router.config.ServerSpec(
                        "s", "http://127.0.0.1:1", ai.sovereign.router.config.ServerType.OPENAI, 1),
                request,
                "r",
                java.time.Duration.ofSeconds(1));
        return new String(upstream.body(), StandardCharsets.UTF_8);
    }

    @Test
    void usageIsReadFromTheTopLevelOnly() {
        UsageTally usage = new UsageTally();
        byte[] answer =
                ("{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":{\\\"prompt_tokens\\\":99}}\"},"
                                + "\"usage\":{\"prompt_tokens\":98}}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":11}}")
                        .getBytes(StandardCharsets.UTF_8);
        assertSame(
                answer,
                adapter.translateAnswer(
                        request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}"), answer, "r", usage));
        assertEquals(7, usage.promptTokens());
        assertEquals(11, usage.completionTokens());
    }

    @Test
    void anAnswerThatIsNotOneJsonObjectIsRefused() {
        InferenceRequest request = request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}");
        for (String bad : new String[] {"[1,2]", "{\"choices\":[", "{\"a\":1} {\"b\":2}", "not json"}) {
            assertThrows(
                    RuntimeException.class,
                    () -> adapter.translateAnswer(request, bad.getBytes(StandardCharsets.UTF_8), "r", new UsageTally()),
                    bad);
        }
    }
}
