package ai.sovereign.router.config;

/**
 * Prefix-cache affinity: which server probably still holds a request's prompt prefix in its KV cache.
 *
 * @param blockChars          characters of prompt text per hashed block (about 16 tokens at ~4 characters a
 *                            token, vLLM's block size)
 * @param maxBlocksPerRequest blocks hashed per request at most (the head of a prompt is what is shared)
 * @param blocksPerServer     blocks remembered per server at most: the server's KV-cache size in blocks. The index
 *                            keeps two generations of half this many each, so it remembers between half and all
 *                            of it, always the most recently sent
 * @param maxAgeMs            a generation older than half of this is retired, so what was not sent again within
 *                            this long is forgotten (a server's cache has moved on by then)
 * @param loadBound           bounded-load factor c: a server already holding more than c × the mean in-flight
 *                            (over the candidates, counting this request) gets no prefix bonus, so one hot prefix
 *                            spills to a second server instead of overloading the first
 * @param maxSessions         {@code X-Session-Id} bindings remembered (least recently used forgotten first)
 */
public record PrefixSettings(
        int blockChars,
        int maxBlocksPerRequest,
        int blocksPerServer,
        long maxAgeMs,
        double loadBound,
        int maxSessions) {

    public static PrefixSettings defaults() {
        return new PrefixSettings(64, 512, 16_384, 600_000, 1.25, 100_000);
    }
}
