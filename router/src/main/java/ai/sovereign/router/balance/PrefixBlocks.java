package ai.sovereign.router.balance;

/**
 * Chained hashes of a prompt's full blocks of characters, as vLLM chains its KV-block hashes: a block's hash covers
 * its parent's, so two prompts share block i's hash only when they share everything up to the end of block i. The
 * router does not know the model's tokenizer; fixed-size character blocks are its approximation of token blocks.
 */
public final class PrefixBlocks {

    private PrefixBlocks() {}

    public static long[] of(CharSequence text, int blockChars, int maxBlocks) {
        int count = Math.min(maxBlocks, text.length() / blockChars);
        long[] hashes = new long[count];
        long parent = 0x9E3779B97F4A7C15L;
        for (int b = 0; b < count; b++) {
            long h = parent;
            for (int i = b * blockChars, end = i + blockChars; i < end; i++) {
                h = (h ^ text.charAt(i)) * 0x100000001B3L;
            }
            parent = finish(h);
            hashes[b] = parent;
        }
        return hashes;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot in the index
    }
}
