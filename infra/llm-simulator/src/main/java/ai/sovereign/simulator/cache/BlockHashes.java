package ai.sovereign.simulator.cache;

/**
 * Splits a prompt into full blocks of tokens and hashes them as vLLM does: each block's hash covers its parent's
 * hash and its own tokens, so equal hashes mean equal prefixes up to and including that block. Tokens follow the
 * simulator's {@code TokenCounter} rule (a run of letters and digits, or one other non-space character).
 */
public final class BlockHashes {

    private static final long ROOT = 0x9E3779B97F4A7C15L;

    private BlockHashes() {}

    /** Chained hashes of the prompt's full blocks, at most {@code maxBlocks} of them. */
    public static long[] of(CharSequence text, int blockTokens, int maxBlocks) {
        long[] out = new long[Math.max(0, Math.min(maxBlocks, text.length() / Math.max(1, blockTokens) + 1))];
        int blocks = 0;
        long parent = ROOT;
        long block = parent;
        int tokensInBlock = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length() && blocks < out.length; i++) {
            char c = text.charAt(i);
            boolean word = Character.isLetterOrDigit(c);
            if (word && inWord) {
                block = mix(block, c);
                continue;
            }
            inWord = word;
            if (!word && (Character.isWhitespace(c) || Character.isLowSurrogate(c))) {
                continue;
            }
            // c starts a new token: the previous one is complete.
            if (tokensInBlock == blockTokens) {
                parent = finish(block);
                out[blocks++] = parent;
                block = parent;
                tokensInBlock = 0;
                if (blocks == out.length) {
                    break;
                }
            }
            block = mix(mix(block, 0x1F), c);
            tokensInBlock++;
        }
        if (tokensInBlock == blockTokens && blocks < out.length) {
            out[blocks++] = finish(block);
        }
        return blocks == out.length ? out : java.util.Arrays.copyOf(out, blocks);
    }

    private static long mix(long h, int c) {
        return (h ^ c) * 0x100000001B3L;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
