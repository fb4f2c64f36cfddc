package ai.sovereign.simulator.cache;

/**
 * A simulated server's GPU as far as prompts are concerned: its prefix cache and its prefill throughput. For each
 * request it decides how many prompt tokens are served from the cache and how long the rest takes to prefill,
 * queueing behind prefills already running on the same GPU.
 */
public final class KvCacheModel {

    /** Blocks hashed per prompt at most; longer prompts count their tail as uncached. */
    static final int MAX_BLOCKS = 1 << 16;

    private final PrefixCacheSettings settings;
    private final PrefixCache cache;
    private long prefillBusyUntilNanos = Long.MIN_VALUE;

    public KvCacheModel(PrefixCacheSettings settings) {
        this.settings = settings;
        this.cache = new PrefixCache(settings.capacityBlocks());
    }

    /** What one prompt costs: tokens found in the cache and the delay until its prefill is done. */
    public record Admission(int promptTokens, int cachedTokens, long prefillDelayNanos) {}

    /** Looks the prompt up, caches it, and books its prefill on the GPU; call when the request starts running. */
    public Admission admit(CharSequence promptText, int promptTokens, long nowNanos) {
        if (!settings.enabled() && !settings.costsPrefill()) {
            return new Admission(promptTokens, 0, 0);
        }
        int cached = settings.enabled()
                ? cache.admit(
                        BlockHashes.of(promptText, settings.blockTokens(), MAX_BLOCKS),
                        settings.blockTokens(),
                        promptTokens)
                : 0;
        long work = (long) (promptTokens - cached) * settings.prefillPerToken().toNanos();
        if (work <= 0) {
            return new Admission(promptTokens, cached, 0);
        }
        long done;
        synchronized (this) {
            long start = Math.max(nowNanos, prefillBusyUntilNanos);
            done = start + work;
            prefillBusyUntilNanos = done;
        }
        return new Admission(promptTokens, cached, done - nowNanos);
    }

    public PrefixCacheSettings settings() {
        return settings;
    }

    public PrefixCache cache() {
        return cache;
    }
}
