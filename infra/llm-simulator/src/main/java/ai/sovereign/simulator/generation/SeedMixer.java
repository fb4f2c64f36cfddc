package ai.sovereign.simulator.generation;

/**
 * Stable 64-bit hashing for seeds. {@link String#hashCode()} would do for determinism, but 32 bits
 * make colliding prompts too likely across a benchmark's thousands of requests.
 */
public final class SeedMixer {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private SeedMixer() {}

    /** Mixes a seed with any number of strings; the same inputs give the same value in every JVM. */
    public static long mix(long seed, String... parts) {
        long h = FNV_OFFSET ^ finalise(seed);
        for (String part : parts) {
            for (int i = 0; i < part.length(); i++) {
                h ^= part.charAt(i);
                h *= FNV_PRIME;
            }
            // A separator so that ("ab", "c") and ("a", "bc") differ.
            h ^= 0xff;
            h *= FNV_PRIME;
        }
        return finalise(h);
    }

    /** Mixes a seed with a counter, e.g. the n-th request to a model. */
    public static long mix(long seed, String part, long counter) {
        return finalise(mix(seed, part) + counter * 0x9e3779b97f4a7c15L);
    }

    /** A double in [0, 1) from a mixed value. */
    public static double unitInterval(long mixed) {
        return (mixed >>> 11) * 0x1.0p-53;
    }

    // SplitMix64's finaliser: spreads low-entropy inputs (small seeds, counters) over all bits.
    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
