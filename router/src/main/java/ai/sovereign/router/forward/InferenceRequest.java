package ai.sovereign.router.forward;

import ai.sovereign.router.balance.PromptHead;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's inference request, parsed and checked.
 *
 * @param body         the request as JSON; adapters copy before changing it
 * @param rawBody      the bytes as received, forwarded unchanged where nothing needs changing
 * @param includeUsage the client asked for a usage chunk ({@code stream_options.include_usage})
 */
public record InferenceRequest(
        Endpoint endpoint,
        String model,
        boolean stream,
        boolean includeUsage,
        int priority,
        ObjectNode body,
        byte[] rawBody)
        implements PromptHead {

    /**
     * The prompt as the server will read it, in order: each chat message's role and text, or the completion's
     * prompt. Only the first {@code limit} characters matter (the head is what requests share).
     */
    @Override
    public CharSequence promptHead(int limit) {
        StringBuilder text = new StringBuilder();
        if (endpoint == Endpoint.CHAT) {
            for (JsonNode message : body.path("messages")) {
                if (text.length() >= limit) {
                    break;
                }
                text.append(message.path("role").asString("")).append('\u0000');
                appendContent(text, message.path("content"));
                text.append('\u0001');
            }
        } else if (endpoint == Endpoint.COMPLETIONS) {
            JsonNode prompt = body.path("prompt");
            appendContent(text, prompt.isArray() && prompt.size() > 0 ? prompt.get(0) : prompt);
        }
        return text.length() > limit ? text.subSequence(0, limit) : text;
    }

    private static void appendContent(StringBuilder text, JsonNode content) {
        if (content.isString()) {
            text.append(content.stringValue());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isString()) {
                    text.append(part.stringValue());
                } else if (part.path("text").isString()) {
                    text.append(part.path("text").stringValue());
                }
            }
        }
    }
}
