package ai.sovereign.router.forward.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.fastlane.LineDecoder;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The byte path of the OpenAI stream: token events pass on unchanged, whatever the chunk boundaries; usage is read. */
class OpenAiStreamTranslatorTest {

    @Test
    void tokenEventsPassThroughAsBytesAndTheUsageChunkIsReadAndDropped() {
        OpenAiStreamTranslator translator =
                new OpenAiStreamTranslator(JsonMapper.builder().build(), true);
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"Hé ✓\"}}]}\r\n\r\n: keep-alive\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 7, bytes.length}) {
            List<String> out = new ArrayList<>();
            OpenAiStreamTranslator t =
                    new OpenAiStreamTranslator(JsonMapper.builder().build(), true);
            LineDecoder lines = new LineDecoder();
            LineDecoder.RawLines relay = (line, length) ->
                    t.onLine(line, length, frame -> out.add(new String(frame, StandardCharsets.UTF_8)));
            for (int i = 0; i < bytes.length; i += piece) {
                lines.feed(Unpooled.wrappedBuffer(bytes, i, Math.min(piece, bytes.length - i)), relay);
            }
            lines.finish(relay);
            assertEquals(
                    List.of(
                            "data: {\"choices\":[{\"delta\":{\"content\":\"Hé ✓\"}}]}\n\n",
                            "data: {\"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n\n",
                            "data: [DONE]\n\n"),
                    out,
                    "pieces of " + piece);
            assertTrue(t.finished());
            assertEquals(3, t.usage().promptTokens());
            assertEquals(2, t.usage().completionTokens());
        }
        assertTrue(!translator.finished());
    }
}
