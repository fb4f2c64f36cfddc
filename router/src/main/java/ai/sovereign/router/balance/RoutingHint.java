package ai.sovereign.router.balance;

import ai.sovereign.router.config.PrefixSettings;

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

    private final PromptHead prompt;
    private final String sessionId;
    private long[] blocks;
    private int blocksFor; // the PrefixSettings.hashCode() the blocks were computed for

    private RoutingHint(PromptHead prompt, String sessionId) {
        this.prompt = prompt;
        this.sessionId = sessionId;
    }

    /** A hint from the prompt's head and the client's session id (null or blank for none). */
    public static RoutingHint of(PromptHead prompt, String sessionId) {
        return new RoutingHint(prompt, sessionId == null || sessionId.isBlank() ? null : sessionId.strip());
    }

    public String sessionId() {
        return sessionId;
    }

    /** The prompt's chained block hashes under {@code settings}; empty for embeddings and short prompts. */
    public synchronized long[] blocks(PrefixSettings settings) {
        if (prompt == null) {
            return NO_BLOCKS;
        }
        if (blocks == null || blocksFor != settings.hashCode()) {
            CharSequence text = prompt.promptHead(settings.blockChars() * settings.maxBlocksPerRequest());
            blocks = PrefixBlocks.of(text, settings.blockChars(), settings.maxBlocksPerRequest());
            blocksFor = settings.hashCode();
        }
        return blocks;
    }
}
