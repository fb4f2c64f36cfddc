package ai.sovereign.gateway.proxy;

/**
 * Token usage of one response as it passes: the upstream's {@code usage} when it reports one, otherwise a count of
 * streamed content chunks (one token each, as OpenAI-compatible servers stream). Also the first-token time.
 */
public final class UsageTally {

    private long promptTokens;
    private long completionTokens;
    private long countedChunks;
    private boolean reported;
    private long firstTokenNanos;

    /** The upstream reported usage; it wins over counting. */
    public void report(long prompt, long completion) {
        this.promptTokens = prompt;
        this.completionTokens = completion;
        this.reported = true;
    }

    /** A streamed chunk carried generated content. */
    public void countChunk(long nowNanos) {
        if (firstTokenNanos == 0) {
            firstTokenNanos = nowNanos;
        }
        countedChunks++;
    }

    public long promptTokens() {
        return reported ? promptTokens : 0;
    }

    public long completionTokens() {
        return reported ? completionTokens : countedChunks;
    }

    public boolean reported() {
        return reported;
    }

    /** When the first content chunk passed (System.nanoTime), or 0. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }
}
