package ai.sovereign.router.balance;

import ai.sovereign.router.config.PrefixSettings;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import tools.jackson.databind.JsonNode;

/**
 * What a request tells the balancer about where it would be cheapest: its prompt (hashed into prefix blocks on
 * first use, then kept for retries and re-evaluations in the queue) and the client's optional session id
 * ({@value #SESSION_HEADER}).
 */
public final class RoutingHint {

    public static final String SESSION_HEADER = "X-Session-Id";
    /** No prompt and no session: the request is placed by load and health alone. */
    public static final RoutingHint NONE = new RoutingHint(null, null);

    private static final long[] NO_BLOCKS = new long[0];

    private final InferenceRequest request;
    private final String sessionId;
    private long[] blocks;
    private int blocksFor; // the PrefixSettings.hashCode() the blocks were computed for

    private RoutingHint(InferenceRequest request, String sessionId) {
        this.request = request;
        this.sessionId = sessionId;
    }

    /** @param sessionId the client's session id, or null/blank for none */
    public static RoutingHint of(InferenceRequest request, String sessionId) {
        return new RoutingHint(request, sessionId == null || sessionId.isBlank() ? null : sessionId.strip());
    }

    public String sessionId() {
        return sessionId;
    }

    /** The prompt's chained block hashes under {@code settings}; empty for embeddings and short prompts. */
    public synchronized long[] blocks(PrefixSettings settings) {
        if (request == null) {
            return NO_BLOCKS;
        }
        if (blocks == null || blocksFor != settings.hashCode()) {
            CharSequence text = promptText(request, settings.blockChars() * settings.maxBlocksPerRequest());
            blocks = PrefixBlocks.of(text, settings.blockChars(), settings.maxBlocksPerRequest());
            blocksFor = settings.hashCode();
        }
        return blocks;
    }

    /**
     * The prompt as the server will read it, in order: each chat message's role and text, or the completion's
     * prompt. Only the first {@code limit} characters matter (the head is what requests share).
     */
    static CharSequence promptText(InferenceRequest request, int limit) {
        StringBuilder text = new StringBuilder();
        JsonNode body = request.body();
        if (request.endpoint() == Endpoint.CHAT) {
            for (JsonNode message : body.path("messages")) {
                if (text.length() >= limit) {
                    break;
                }
                text.append(message.path("role").asString("")).append('\u0000');
                appendContent(text, message.path("content"));
                text.append('\u0001');
            }
        } else if (request.endpoint() == Endpoint.COMPLETIONS) {
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
