package ai.sovereign.router.forward;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Server-sent event framing of the OpenAI streaming dialect. */
public final class SseFrames {

    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SseFrames() {
    }

    public static byte[] data(String json) {
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The error event a stream ends with when it fails after its first byte (no retry is possible then). */
    public static byte[] error(String message, String code) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "server_error").put("code", code).putNull("param");
        return data(JSON.writeValueAsString(body));
    }
}
