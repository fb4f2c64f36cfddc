package ai.sovereign.router.balance;

import java.util.Arrays;

/**
 * What one server probably holds in its prefix cache: the block hashes the router recently sent there. Bounded and
 * aging, like the server's LRU cache: hashes go into the current generation, a fixed-size open-addressing table;
 * when it holds {@code capacity / 2} hashes, or is older than half of {@code maxAgeMs}, it becomes the previous
 * generation and the previous one is dropped. A lookup sees both generations, and a hash sent again is copied into
 * the current one. So the index remembers everything sent since the previous generation began: between
 * {@code capacity / 2} and {@code capacity} of the most recently sent distinct hashes, a subset of what an LRU of
 * {@code capacity} blocks holds. It never claims a block the server has already evicted for room (that would send
 * a request to a cold cache believing it warm); it may forget one the server still holds, which costs less, because
 * a prefix nobody is known to hold goes to its home server ({@link PrefixHome}), where it usually still is. Memory
 * is two {@code long} tables of at least {@code capacity} slots, whatever the traffic.
 */
final class PrefixIndex {

    private final int capacity;
    private final int generation;
    private final long maxAgeNanos;
    private long[] current;
    private long[] previous;
    private int currentSize;
    private int previousSize;
    private long currentStartedNanos;

    PrefixIndex(int capacity, long maxAgeMs, long nowNanos) {
        this.capacity = capacity;
        this.generation = Math.max(1, capacity / 2);
        this.maxAgeNanos = maxAgeMs * 1_000_000L;
        int slots = Integer.highestOneBit(Math.max(16, generation) * 2 - 1) << 1; // power of two ≥ 2 × generation
        this.current = new long[slots];
        this.previous = new long[slots];
        this.currentStartedNanos = nowNanos;
    }

    int capacity() {
        return capacity;
    }

    /** How many leading blocks of {@code blocks} the server probably holds. */
    synchronized int matchLength(long[] blocks, long nowNanos) {
        age(nowNanos);
        int n = 0;
        while (n < blocks.length && (contains(current, blocks[n]) || contains(previous, blocks[n]))) {
            n++;
        }
        return n;
    }

    /** The blocks were just sent to the server. */
    synchronized void record(long[] blocks, long nowNanos) {
        age(nowNanos);
        for (long block : blocks) {
            if (contains(current, block)) {
                continue;
            }
            if (currentSize >= generation) {
                rotate(nowNanos);
            }
            insert(current, block);
            currentSize++;
        }
    }

    /** Hashes remembered now, over both generations (a hash in both counts twice). */
    synchronized int entries() {
        return currentSize + previousSize;
    }

    /** Bytes held by the two tables. */
    long bytes() {
        return 2L * current.length * Long.BYTES;
    }

    private void age(long nowNanos) {
        long idle = nowNanos - currentStartedNanos;
        if (idle > maxAgeNanos / 2) {
            rotate(nowNanos);
            if (idle > maxAgeNanos) {
                rotate(nowNanos); // nothing recorded for a whole age: both generations are stale
            }
        }
    }

    private void rotate(long nowNanos) {
        long[] recycled = previous;
        previous = current;
        previousSize = currentSize;
        Arrays.fill(recycled, 0);
        current = recycled;
        currentSize = 0;
        currentStartedNanos = nowNanos;
    }

    private static boolean contains(long[] table, long hash) {
        int mask = table.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            long value = table[i];
            if (value == hash) {
                return true;
            }
            if (value == 0) {
                return false;
            }
        }
    }

    private static void insert(long[] table, long hash) {
        int mask = table.length - 1;
        int i = slot(hash, mask);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = hash;
    }

    private static int slot(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }
}
