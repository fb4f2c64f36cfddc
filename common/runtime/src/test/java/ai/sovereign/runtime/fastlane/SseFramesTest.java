package ai.sovereign.runtime.fastlane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The OpenAI SSE frames: an event per payload, the end marker, and the in-stream error event. */
class SseFramesTest {

    @Test
    void anEventIsItsPayloadAfterDataAndABlankLine() {
        assertEquals("data: {\"a\":1}\n\n", text(SseFrames.data("{\"a\":1}")));
        assertEquals("data: [DONE]\n\n", text(SseFrames.DONE));
    }

    @Test
    void anErrorEventCarriesTheOpenAiBodyAsAServerError() {
        assertEquals(
                "data: {\"error\":{\"message\":\"broke \\\"off\\\"\",\"type\":\"server_error\","
                        + "\"code\":\"upstream_error\",\"param\":null}}\n\n",
                text(SseFrames.error("broke \"off\"", "upstream_error")));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
