package ai.sovereign.gateway.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.proxy.Dialect;
import ai.sovereign.gateway.proxy.UsageTally;
import ai.sovereign.runtime.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Ollama ↔ OpenAI translation, table-driven, as pure functions. */
class OllamaTranslationTest {

    private static JsonNode json(String text) {
        return JsonBodies.MAPPER.readTree(text);
    }

    /** Written and read again, so number node types (int/long) compare as on the wire. */
    private static JsonNode normalized(JsonNode node) {
        return json(JsonBodies.MAPPER.writeValueAsString(node));
    }

    static Stream<Arguments> chatRequests() {
        return Stream.of(
                Arguments.of(
                        "stream defaults to true",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                Arguments.of(
                        "options map to sampling fields",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[],\"options\":{\"temperature\":0.2,\"top_p\":0.9,"
                                + "\"num_predict\":64,\"stop\":[\"\\n\"],\"seed\":42,\"num_ctx\":4096}}",
                        "{\"model\":\"m\",\"stream\":false,\"temperature\":0.2,\"top_p\":0.9,\"seed\":42,\"max_tokens\":64,"
                                + "\"stop\":[\"\\n\"],\"messages\":[]}"),
                Arguments.of(
                        "num_predict -1 means no limit; a single stop string becomes a list",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[],\"options\":{\"num_predict\":-1,\"stop\":\"END\"}}",
                        "{\"model\":\"m\",\"stream\":false,\"stop\":[\"END\"],\"messages\":[]}"),
                Arguments.of(
                        "format json → json_object",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[],\"format\":\"json\"}",
                        "{\"model\":\"m\",\"stream\":false,\"response_format\":{\"type\":\"json_object\"},\"messages\":[]}"),
                Arguments.of(
                        "format schema → json_schema",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[],\"format\":{\"type\":\"object\"}}",
                        "{\"model\":\"m\",\"stream\":false,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                                + "{\"name\":\"response\",\"schema\":{\"type\":\"object\"}}},\"messages\":[]}"),
                Arguments.of(
                        "tool call arguments object → JSON string; tools pass through",
                        "{\"model\":\"m\",\"stream\":false,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                                + "\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
                                + "{\"name\":\"f\",\"arguments\":{\"city\":\"Paris\"}}}]},{\"role\":\"tool\",\"content\":\"sunny\","
                                + "\"tool_name\":\"f\"}]}",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                                + "[{\"id\":\"call_0_0\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":"
                                + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"content\":\"sunny\",\"name\":\"f\"}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}"),
                Arguments.of(
                        "images → image_url content parts",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"what?\",\"images\":[\"QUJD\"]}]}",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                                + "\"text\":\"what?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,QUJD\"}}]}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chatRequests")
    void chatRequestsTranslateToOpenAi(String name, String ollama, String openAi) {
        assertEquals(json(openAi), normalized(OllamaRequests.chat(json(ollama))));
    }

    static Stream<Arguments> otherRequests() {
        return Stream.of(
                Arguments.of(
                        "generate with system",
                        "generate",
                        "{\"model\":\"m\",\"prompt\":\"p\",\"system\":\"s\",\"stream\":false}",
                        "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                                + "{\"role\":\"user\",\"content\":\"p\"}]}"),
                Arguments.of(
                        "embed list with dimensions",
                        "embed",
                        "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":8}",
                        "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":8}"),
                Arguments.of(
                        "legacy embeddings prompt → input",
                        "embeddings",
                        "{\"model\":\"e\",\"prompt\":\"a\"}",
                        "{\"model\":\"e\",\"input\":\"a\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherRequests")
    void otherRequestsTranslateToOpenAi(String name, String endpoint, String ollama, String openAi) {
        JsonNode in = json(ollama);
        JsonNode out = switch (endpoint) {
            case "generate" -> OllamaRequests.generate(in);
            case "embed" -> OllamaRequests.embed(in);
            default -> OllamaRequests.embeddings(in);
        };
        assertEquals(json(openAi), normalized(out));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("{\"messages\":[]}", "model"),
                Arguments.of("{\"model\":\"m\",\"messages\":\"hi\"}", "messages"),
                Arguments.of("{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}", "messages"),
                Arguments.of(
                        "{\"model\":\"m\",\"messages\":[],\"options\":{\"temperature\":\"hot\"}}",
                        "options.temperature"),
                Arguments.of(
                        "{\"model\":\"m\",\"messages\":[],\"options\":{\"num_predict\":1.5}}", "options.num_predict"),
                Arguments.of("{\"model\":\"m\",\"messages\":[],\"options\":{\"stop\":7}}", "options.stop"),
                Arguments.of("{\"model\":\"m\",\"messages\":[],\"format\":\"xml\"}", "format"),
                Arguments.of("{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}", "stream"),
                Arguments.of("{\"model\":\"m\",\"messages\":[],\"options\":[]}", "options"));
    }

    @ParameterizedTest(name = "{0} → 400 on {1}")
    @MethodSource("badRequests")
    void badChatRequestsName400AndTheField(String ollama, String param) {
        ApiException e = assertThrows(ApiException.class, () -> OllamaRequests.chat(json(ollama)));
        assertEquals(400, e.status().getCode());
        assertEquals(param, e.param());
    }

    @Test
    void wholeChatAnswerCarriesCountsDurationsAndToolCallsAsObjects() {
        String openAi =
                "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                        + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":9,\"total_tokens\":16}}";
        UsageTally tally = new UsageTally();
        long start = System.nanoTime();
        JsonNode out = json(new String(
                new OllamaDialect(OllamaDialect.Kind.CHAT, "m", start)
                        .translateComplete(openAi.getBytes(StandardCharsets.UTF_8), tally),
                StandardCharsets.UTF_8));
        assertEquals(7, out.get("prompt_eval_count").intValue());
        assertEquals(9, out.get("eval_count").intValue());
        assertTrue(out.get("done").booleanValue());
        assertEquals("stop", out.get("done_reason").stringValue());
        assertTrue(out.get("total_duration").longValue() > 0);
        assertEquals(
                "Paris",
                out.get("message")
                        .get("tool_calls")
                        .get(0)
                        .get("function")
                        .get("arguments")
                        .get("city")
                        .stringValue());
        assertEquals(16, tally.promptTokens() + tally.completionTokens());
    }

    @Test
    void streamBecomesNdjsonEndingWithTheCounts() {
        UsageTally tally = new UsageTally();
        Dialect.StreamTranslator stream =
                new OllamaDialect(OllamaDialect.Kind.GENERATE, "m", System.nanoTime()).newStream(tally, false);
        StringBuilder out = new StringBuilder();
        for (String line : new String[] {
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}",
                    "",
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}],\"usage\":null}", "",
            "data: {\"choices\":[{\"delta\":{\"content\":\" world\"},\"finish_reason\":null}],\"usage\":null}", "",
            "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":null}", "",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}", "",
            "data: [DONE]", ""
        }) {
            out.append(new String(stream.onLine(line), StandardCharsets.UTF_8));
        }
        out.append(new String(stream.onEnd(), StandardCharsets.UTF_8));
        String[] lines = out.toString().split("\n");
        assertEquals(3, lines.length, out.toString());
        assertEquals("Hello", json(lines[0]).get("response").stringValue());
        assertEquals(false, json(lines[1]).get("done").booleanValue());
        JsonNode last = json(lines[2]);
        assertTrue(last.get("done").booleanValue());
        assertEquals("length", last.get("done_reason").stringValue());
        assertEquals(3, last.get("prompt_eval_count").intValue());
        assertEquals(2, last.get("eval_count").intValue());
        assertTrue(last.get("eval_duration").longValue() >= 0);
    }
}
