package ai.sovereign.router.balance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Where a prefix lives when no server holds it yet: rendezvous (highest-random-weight) hashing of the prompt's first
 * block over the candidate servers. Every prompt that starts with the same block (the same system prompt) gets the
 * same order of servers, and removing or adding one server only moves the prefixes whose first choice it was. The
 * balancer walks this order and takes the first server within the bounded-load limit (consistent hashing with
 * bounded loads): a cold prefix lands on one deterministic server, and its overflow on the next server of its own
 * order, instead of on whichever server is least loaded at that moment, which would copy every prefix onto every
 * cache.
 */
public final class PrefixHome {

    /**
     * The prefix affinity the home server has at least: a cold prefix goes home unless the home is loaded by more
     * than this share of its maxConcurrency beyond another server (it cannot be: the bounded-load limit is lower),
     * and a server holding more than half of the prompt still wins over the home (a conversation that moved stays
     * where its longer prefix is).
     */
    public static final double HOME_FLOOR = 0.5;
    /**
     * Added to the home's affinity: among servers holding the prefix equally, its home is preferred unless another is
     * lighter by more than this share of maxConcurrency, so a prefix that spilled onto a second server returns home
     * and the copy ages out, instead of every spill leaving a permanent replica.
     */
    public static final double HOME_TIE = 0.1;

    private PrefixHome() {}

    /** The rendezvous weight of {@code serverId} for a prefix whose first block hashes to {@code key}; highest first. */
    public static long weight(long key, String serverId) {
        return mix(key ^ serverHash(serverId));
    }

    /** The prefix key of a request: its first block's hash, or 0 (no home) when it has no full block. */
    public static long key(long[] blocks) {
        return blocks.length == 0 ? 0 : blocks[0];
    }

    /** {@code serverIds} in the rendezvous order of the prefix {@code key}: its home first, then where it overflows. */
    public static List<String> order(long key, Collection<String> serverIds) {
        List<String> order = new ArrayList<>(serverIds);
        order.sort(Comparator.comparingLong((String id) -> weight(key, id)).reversed());
        return order;
    }

    static long serverHash(String serverId) {
        long h = 0xCBF29CE484222325L;
        for (byte b : serverId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
