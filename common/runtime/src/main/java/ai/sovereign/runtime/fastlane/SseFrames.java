package ai.sovereign.runtime.fastlane;

import ai.sovereign.runtime.errors.ErrorBody;
import java.nio.charset.StandardCharsets;

/** Server-sent event framing of the OpenAI streaming dialect. */
public final class SseFrames {

    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private SseFrames() {}

    /** One event carrying {@code json}. */
    public static byte[] data(String json) {
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The error event a stream ends with when it fails after its first byte (no retry is possible then). */
    public static byte[] error(String message, String code) {
        return data(new String(ErrorBody.of(message, "server_error", code, null).toJson(), StandardCharsets.UTF_8));
    }
}
