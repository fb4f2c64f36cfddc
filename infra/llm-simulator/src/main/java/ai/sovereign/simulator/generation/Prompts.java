package ai.sovereign.simulator.generation;

import tools.jackson.databind.JsonNode;

/** Builds a {@link Prompt} from chat messages, in either API's message shape. */
public final class Prompts {

    private Prompts() {}

    /**
     * Prompt tokens are the tokens of every message's text content; roles and message framing
     * count nothing, so a test can compute the expected number from the contents alone.
     */
    public static Prompt fromMessages(JsonNode messages) {
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        String lastUser = "";
        for (JsonNode message : messages) {
            String role = message.path("role").asString("");
            String content = contentText(message.path("content"));
            text.append(role).append(": ").append(content).append('\n');
            tokens += TokenCounter.count(content);
            if (role.equals("user")) {
                lastUser = content;
            }
        }
        return new Prompt(text.toString(), tokens, lastUser);
    }

    /** Message content as text: a string, or the text parts of OpenAI's content-part array. */
    public static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.isString()) {
                    text.append(part.stringValue());
                } else if (part.path("text").isString()) {
                    text.append(part.path("text").stringValue());
                }
            }
            return text.toString();
        }
        return "";
    }
}
