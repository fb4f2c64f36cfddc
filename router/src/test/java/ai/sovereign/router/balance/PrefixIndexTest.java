package ai.sovereign.router.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Prefix blocks and the per-server index: prefix semantics, aging and bounded memory. */
class PrefixIndexTest {

    private static final long MINUTE = 60_000_000_000L;

    private static String text(String seed, int chars) {
        StringBuilder b = new StringBuilder();
        while (b.length() < chars) {
            b.append(seed).append(' ').append(b.length()).append(' ');
        }
        return b.substring(0, chars);
    }

    @Test
    void blocksAreChainedSoOnlyACommonHeadMatches() {
        String system = text("You are a careful assistant", 640);
        long[] a = PrefixBlocks.of(system + "first question", 64, 512);
        long[] b = PrefixBlocks.of(system + "a different question", 64, 512);
        long[] c = PrefixBlocks.of("x" + system, 64, 512);
        assertEquals(10, a.length, "640 characters of system prompt are ten blocks; a partial block is not one");
        assertArrayEquals(Arrays.copyOf(a, 10), Arrays.copyOf(b, 10));
        assertTrue(
                Arrays.stream(c).noneMatch(h -> Arrays.stream(a).anyMatch(x -> x == h)),
                "a shifted prompt shares nothing");
        assertEquals(3, PrefixBlocks.of(system, 64, 3).length, "capped at maxBlocksPerRequest");
    }

    @Test
    void theIndexMatchesTheLongestRecordedHead() {
        PrefixIndex index = new PrefixIndex(1000, 600_000, 0);
        long[] turn1 = PrefixBlocks.of(text("conversation", 64 * 8), 64, 512);
        long[] turn2 = PrefixBlocks.of(text("conversation", 64 * 8) + text("answer and next turn", 64 * 4), 64, 512);
        assertEquals(0, index.matchLength(turn1, 0));
        index.record(turn1, 0);
        assertEquals(8, index.matchLength(turn1, 1));
        assertEquals(8, index.matchLength(turn2, 1), "the next turn starts with the whole previous prompt");
        assertEquals(0, index.matchLength(PrefixBlocks.of(text("other", 64 * 8), 64, 512), 1));
    }

    @Test
    void whatIsNotSentAgainIsForgottenAfterMaxAge() {
        PrefixIndex index = new PrefixIndex(1000, 10 * 60_000, 0);
        long[] blocks = PrefixBlocks.of(text("old", 64 * 4), 64, 512);
        index.record(blocks, 0);
        assertEquals(4, index.matchLength(blocks, 6 * MINUTE), "one generation old: still remembered");
        assertEquals(0, index.matchLength(blocks, 11 * MINUTE + 6 * MINUTE), "two generations old: forgotten");
        index.record(blocks, 20 * MINUTE);
        index.record(blocks, 26 * MINUTE); // refreshed into the new generation
        assertEquals(4, index.matchLength(blocks, 30 * MINUTE));
    }

    @Test
    void memoryStaysBoundedUnderAMillionDistinctPrompts() {
        int capacity = 16_384;
        PrefixIndex index = new PrefixIndex(capacity, 600_000, 0);
        long bytes = index.bytes();
        int maxEntries = 0;
        for (int i = 0; i < 1_000_000; i++) {
            long[] blocks = PrefixBlocks.of("prompt number " + i + " " + "x".repeat(200), 64, 512);
            index.record(blocks, i);
            maxEntries = Math.max(maxEntries, index.entries());
        }
        assertTrue(maxEntries <= 2 * capacity, "entries never exceed two generations: " + maxEntries);
        assertEquals(bytes, index.bytes(), "the tables never grow");
        assertTrue(bytes <= 2L * 4 * capacity * Long.BYTES, "two tables of at most 4 × capacity slots: " + bytes);
        long[] recent = PrefixBlocks.of("prompt number 999999 " + "x".repeat(200), 64, 512);
        assertEquals(recent.length, index.matchLength(recent, 1_000_000), "the newest prompts are still found");
        long[] ancient = PrefixBlocks.of("prompt number 0 " + "x".repeat(200), 64, 512);
        assertEquals(0, index.matchLength(ancient, 1_000_000), "the oldest were evicted");
    }
}
