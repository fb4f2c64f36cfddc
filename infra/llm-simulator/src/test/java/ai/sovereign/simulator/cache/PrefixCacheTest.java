package ai.sovereign.simulator.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Block hashing, LRU hits and the prefill queue as pure logic. */
class PrefixCacheTest {

    private static String words(String prefix, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(prefix).append(i).append(' ');
        }
        return text.toString();
    }

    @Test
    void blockHashesAreChainedSoEqualHashesMeanEqualPrefixes() {
        long[] a = BlockHashes.of(words("w", 40), 16, 100);
        long[] b = BlockHashes.of(words("w", 40) + "tail of another prompt", 16, 100);
        long[] c = BlockHashes.of("different " + words("w", 40), 16, 100);
        assertEquals(2, a.length, "40 tokens make two full blocks of 16; the last 8 are not a block");
        assertArrayEquals(a, java.util.Arrays.copyOf(b, 2));
        assertNotEquals(a[1], c[1]);
        assertEquals(2, BlockHashes.of(words("w", 32), 16, 100).length, "exactly two full blocks");
        assertEquals(1, BlockHashes.of(words("w", 40), 16, 1).length, "capped");
    }

    @Test
    void aPromptHitsOnItsLongestCachedPrefixAndTheLeastRecentlyUsedBlocksAreEvicted() {
        PrefixCache cache = new PrefixCache(4);
        long[] first = {1, 2, 3};
        assertEquals(0, cache.admit(first, 16, 50));
        assertEquals(48, cache.admit(first, 16, 50), "three blocks of 16 cached");
        assertEquals(32, cache.admit(new long[] {1, 2, 9}, 16, 60), "hit stops at the first missing block");
        assertEquals(4, cache.usedBlocks());
        cache.admit(new long[] {7, 8}, 16, 32); // evicts the least recently used: 3 and then 1? (1,2 were touched)
        assertEquals(4, cache.usedBlocks());
        assertEquals(2, cache.evictedBlocks());
        assertEquals(0, cache.admit(new long[] {3}, 16, 16), "block 3 was evicted");
        assertEquals(50 + 50 + 60 + 32 + 16, cache.queriedTokens());
        assertEquals(48 + 32, cache.hitTokens());
    }

    @Test
    void prefillsOfOneServerRunOneAfterAnotherAndCachedTokensCostNothing() {
        KvCacheModel gpu = new KvCacheModel(new PrefixCacheSettings(4, 100, Duration.ofMillis(1)));
        String prompt = words("t", 100);
        KvCacheModel.Admission miss = gpu.admit(prompt, 100, 0);
        assertEquals(0, miss.cachedTokens());
        assertEquals(Duration.ofMillis(100).toNanos(), miss.prefillDelayNanos());
        KvCacheModel.Admission hit = gpu.admit(prompt, 100, 0);
        assertEquals(100, hit.cachedTokens());
        assertEquals(0, hit.prefillDelayNanos());
        KvCacheModel.Admission queued =
                gpu.admit(words("u", 10), 10, Duration.ofMillis(50).toNanos());
        assertEquals(
                Duration.ofMillis(60).toNanos(),
                queued.prefillDelayNanos(),
                "waits 50 ms for the first prefill, then 10");
    }

    @Test
    void withoutSettingsNothingIsCachedAndNothingCosts() {
        KvCacheModel off = new KvCacheModel(PrefixCacheSettings.disabled());
        assertEquals(new KvCacheModel.Admission(100, 0, 0), off.admit(words("t", 100), 100, 0));
        assertEquals(new KvCacheModel.Admission(100, 0, 0), off.admit(words("t", 100), 100, 0));
        assertEquals(0, off.cache().queriedTokens());
    }
}
