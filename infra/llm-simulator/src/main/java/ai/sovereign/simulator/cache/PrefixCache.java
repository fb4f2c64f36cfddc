package ai.sovereign.simulator.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server's prefix cache: an LRU set of block hashes with a fixed capacity. A prompt hits on its longest run of
 * leading blocks already cached (a block only counts when every block before it does, as in vLLM's prefix
 * caching); then all of its blocks are cached (or refreshed), evicting the least recently used ones. Counts are in
 * tokens, like vLLM's {@code gpu_prefix_cache_queries} and {@code gpu_prefix_cache_hits}.
 */
public final class PrefixCache {

    private final int capacityBlocks;
    private final LinkedHashMap<Long, Boolean> blocks;
    private long queriedTokens;
    private long hitTokens;
    private long evictedBlocks;

    public PrefixCache(int capacityBlocks) {
        this.capacityBlocks = capacityBlocks;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                if (size() > PrefixCache.this.capacityBlocks) {
                    evictedBlocks++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Looks the prompt up and caches its blocks.
     *
     * @param hashes       the prompt's chained block hashes
     * @param promptTokens the prompt's length in tokens (its last partial block is never cached)
     * @return prompt tokens served from the cache
     */
    public synchronized int admit(long[] hashes, int blockTokens, int promptTokens) {
        int hit = 0;
        while (hit < hashes.length && blocks.containsKey(hashes[hit])) {
            hit++;
        }
        int cachedTokens = Math.min(promptTokens, hit * blockTokens);
        queriedTokens += promptTokens;
        hitTokens += cachedTokens;
        if (capacityBlocks > 0) {
            for (long hash : hashes) {
                blocks.put(hash, Boolean.TRUE); // touches a cached block, adds a new one
            }
        }
        return cachedTokens;
    }

    public synchronized long queriedTokens() {
        return queriedTokens;
    }

    public synchronized long hitTokens() {
        return hitTokens;
    }

    public synchronized long evictedBlocks() {
        return evictedBlocks;
    }

    public synchronized int usedBlocks() {
        return blocks.size();
    }

    public int capacityBlocks() {
        return capacityBlocks;
    }

    /** Share of the capacity in use, 0..1 (0 without a cache). */
    public synchronized double usage() {
        return capacityBlocks == 0 ? 0 : (double) blocks.size() / capacityBlocks;
    }

    /** Empties the cache and zeroes the counters (a benchmark phase starts cold). */
    public synchronized void clear() {
        blocks.clear();
        queriedTokens = 0;
        hitTokens = 0;
        evictedBlocks = 0;
    }
}
