package ai.sovereign.router.forward;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the message out of a server's error body, whichever dialect: OpenAI, Ollama, or plain text. */
public final class UpstreamErrors {

    private static final int MAX_MESSAGE = 500;

    private UpstreamErrors() {}

    public static String message(JsonMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            return "no error message";
        }
        try {
            JsonNode root = json.readTree(body);
            JsonNode error = root.path("error");
            if (error.isString()) {
                return shorten(error.stringValue());
            }
            if (error.path("message").isString()) {
                return shorten(error.path("message").stringValue());
            }
            if (root.path("message").isString()) {
                return shorten(root.path("message").stringValue());
            }
            return shorten(root.toString());
        } catch (RuntimeException e) {
            return shorten(new String(body, StandardCharsets.UTF_8).strip());
        }
    }

    private static String shorten(String text) {
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
    }
}
