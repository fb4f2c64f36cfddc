package ai.sovereign.gateway.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.openai.OpenAiRequests;
import ai.sovereign.gateway.proxy.InferenceForwarder;
import ai.sovereign.runtime.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast path's streaming check never accepts what the ordinary path's tree checks refuse, finds the same model,
 * stream and usage option when it accepts, and leaves the rewritten-stream_options case to the tree.
 */
class BodyScanTest {

    private static final List<String> CHATS = List.of(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":null,\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream\":false,\"stream_options\":{},\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream\":null,\"messages\":[{\"role\":\"user\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"auto\"}",
            "{\"model\":{\"x\":1},\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":[\"m\"],\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"model\":null,\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":null,\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\" \",\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":5,\"messages\":[{\"role\":\"user\"}]}",
            "{\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\"}",
            "{\"model\":\"m\",\"messages\":[]}",
            "{\"model\":\"m\",\"messages\":{}}",
            "{\"model\":\"m\",\"messages\":null}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"},5]}",
            "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"role\":7}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":7,\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"messages\":[]}",
            "{\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream\":true,\"stream\":1,\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream\":1,\"stream\":true,\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream_options\":true,\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"stream_options\":{\"include_usage\":\"yes\"},\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]} {}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]",
            "[{\"model\":\"m\"}]",
            "\"m\"",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9\"}]}",
            " \n{ \"model\" : \"m\" , \"messages\" : [ { \"role\" : \"user\" } ] }\n");

    private static final List<String> COMPLETIONS = List.of(
            "{\"model\":\"m\",\"prompt\":\"once\"}",
            "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"],\"stream\":true}",
            "{\"model\":\"m\",\"prompt\":5}",
            "{\"model\":\"m\",\"prompt\":null}",
            "{\"model\":\"m\"}",
            "{\"model\":\"m\",\"prompt\":\"x\",\"messages\":5}",
            "{\"model\":\"m\",\"prompt\":{}}");

    private static final List<String> EMBEDDINGS = List.of(
            "{\"model\":\"m\",\"input\":\"a\"}",
            "{\"model\":\"m\",\"input\":[\"a\",\"b\"]}",
            "{\"model\":\"m\",\"input\":5}",
            "{\"model\":\"m\",\"input\":\"a\",\"stream\":true}",
            "{\"model\":\"m\",\"input\":\"a\",\"stream\":false}",
            "{\"model\":\"m\",\"input\":\"a\",\"stream\":\"no\"}",
            "{\"model\":\"m\",\"input\":\"a\",\"stream_options\":5}",
            "{\"model\":\"m\"}",
            "{\"input\":\"a\"}");

    private record Expected(String model, boolean stream, boolean wantsUsage, byte[] upstream) {}

    /** The ordinary path's verdict: null when it answers 400. */
    private static Expected ordinary(byte[] body, Function<ObjectNode, String> validate) {
        try {
            ObjectNode json = JsonBodies.parseObject(body);
            String model = validate.apply(json);
            boolean stream = JsonBodies.optionalBoolean(json, "stream", false);
            boolean wantsUsage = OpenAiRequests.wantsUsage(json);
            byte[] upstream = InferenceForwarder.upstreamBody(new InferenceForwarder.Call(
                    null, "/v1/x", "/v1/x", json, body, model, stream, wantsUsage, null, 0));
            return new Expected(model, stream, wantsUsage, upstream);
        } catch (ApiException e) {
            return null;
        }
    }

    private static void check(List<String> bodies, BodyScan.Kind kind, Function<ObjectNode, String> validate) {
        for (String text : bodies) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            Expected expected = ordinary(body, validate);
            BodyScan.Fields scanned = BodyScan.scan(body, kind);
            if (expected == null) {
                assertNull(scanned, "the ordinary path refuses, the scan must not accept: " + text);
                continue;
            }
            if (scanned == null) {
                continue; // left to the tree: always allowed
            }
            assertEquals(expected.model(), scanned.model(), text);
            assertEquals(expected.stream(), scanned.stream(), text);
            if (scanned.stream()) {
                assertEquals(expected.wantsUsage(), scanned.wantsUsage(), text);
            }
            byte[] sent = InferenceForwarder.upstreamBody(new InferenceForwarder.Call(
                    null,
                    "/v1/x",
                    "/v1/x",
                    JsonBodies.MAPPER.createObjectNode(),
                    body,
                    scanned.model(),
                    scanned.stream(),
                    scanned.wantsUsage(),
                    null,
                    0));
            assertArrayEquals(expected.upstream(), sent, "the router gets the same bytes: " + text);
        }
    }

    @Test
    void chatBodiesAreJudgedAsTheOrdinaryPathJudgesThem() {
        check(CHATS, BodyScan.Kind.CHAT, OpenAiRequests::chat);
    }

    @Test
    void completionBodiesAreJudgedAsTheOrdinaryPathJudgesThem() {
        check(COMPLETIONS, BodyScan.Kind.COMPLETION, OpenAiRequests::completion);
    }

    @Test
    void embeddingBodiesAreJudgedAsTheOrdinaryPathJudgesThem() {
        check(EMBEDDINGS, BodyScan.Kind.EMBEDDING, OpenAiRequests::embedding);
    }

    @Test
    void theCommonBodiesAreAcceptedWithoutATree() {
        assertNotNull(BodyScan.scan(CHATS.get(0).getBytes(StandardCharsets.UTF_8), BodyScan.Kind.CHAT));
        assertNotNull(BodyScan.scan(CHATS.get(1).getBytes(StandardCharsets.UTF_8), BodyScan.Kind.CHAT));
        assertNotNull(BodyScan.scan(CHATS.get(2).getBytes(StandardCharsets.UTF_8), BodyScan.Kind.CHAT));
        assertNull(
                BodyScan.scan(CHATS.get(4).getBytes(StandardCharsets.UTF_8), BodyScan.Kind.CHAT),
                "stream_options to rewrite: left to the tree");
        assertNotNull(BodyScan.scan(COMPLETIONS.get(0).getBytes(StandardCharsets.UTF_8), BodyScan.Kind.COMPLETION));
        assertNotNull(BodyScan.scan(EMBEDDINGS.get(1).getBytes(StandardCharsets.UTF_8), BodyScan.Kind.EMBEDDING));
    }
}
