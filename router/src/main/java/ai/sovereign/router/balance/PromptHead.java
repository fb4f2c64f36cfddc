package ai.sovereign.router.balance;

/**
 * The head of a request's prompt as the server will read it, which prefix affinity hashes into blocks. Owned here so
 * that balancing needs nothing of the forwarder; the forwarder's {@code InferenceRequest} implements it.
 */
public interface PromptHead {

    /** The prompt's first {@code limit} characters at most; empty for a request without a prompt (embeddings). */
    CharSequence promptHead(int limit);
}
