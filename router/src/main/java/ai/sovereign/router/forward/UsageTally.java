package ai.sovereign.router.forward;

/**
 * Tokens of one answer: the server's own usage figures when it reports them, else the number of content chunks
 * streamed (one token each on every server the router supports) and no prompt count.
 */
public final class UsageTally {

    private volatile int promptTokens;
    private volatile int completionTokens;
    private volatile boolean reported;
    private volatile int chunks;

    public void report(int prompt, int completion) {
        promptTokens = prompt;
        completionTokens = completion;
        reported = true;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer, the relay of this answer; volatile publishes the count
    public void countChunk() {
        chunks++;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int completionTokens() {
        return reported ? completionTokens : chunks;
    }
}
