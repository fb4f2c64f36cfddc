package ai.sovereign.audit.verify;

import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.checkpoint.Checkpoint;
import ai.sovereign.audit.store.ChainHead;
import ai.sovereign.audit.store.StoredEvent;
import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks one chain's events in seq order and keeps the first break: a gap or repeat in seq, a {@code prev_hash} that
 * is not the previous event's hash, a hash that is not {@code SHA-256(prev_hash ‖ canonical JSON)}, or a signed
 * checkpoint whose hash the chain no longer has. It continues from each event's stored hash, so one changed event is
 * reported once.
 */
final class ChainWalk {

    /** The link the first event must continue from: genesis (seq 0), or the last event a retention drop removed. */
    record Anchor(long seq, byte[] hash) {}

    private final int chain;
    private final Anchor anchor;
    private final NavigableMap<Long, Checkpoint> checkpoints = new TreeMap<>();
    private final Set<Long> matched = new HashSet<>();
    private Long firstSeq;
    private Long lastSeq;
    private byte[] lastHash;
    private long count;
    private ChainBreak firstBreak;

    /**
     * @param anchor      what the first event continues from; null to take the first event's {@code prev_hash} on
     *                    trust (a walk over a time range)
     * @param checkpoints the chain's checkpoints, whose hashes are compared with the events at their seq
     */
    ChainWalk(int chain, @Nullable Anchor anchor, List<Checkpoint> checkpoints) {
        this.chain = chain;
        this.anchor = anchor;
        checkpoints.forEach(c -> this.checkpoints.put(c.seq(), c));
    }

    void accept(StoredEvent row) {
        count++;
        String id = row.entry().id().toString();
        byte[] expectedPrev = lastHash;
        if (lastSeq == null) {
            firstSeq = row.seq();
            if (anchor != null) {
                expectedPrev = anchor.hash();
                if (row.seq() != anchor.seq() + 1) {
                    gapOrRepeat(row, anchor.seq(), id);
                }
            }
        } else if (row.seq() != lastSeq + 1) {
            gapOrRepeat(row, lastSeq, id);
        }
        if (expectedPrev != null && !Arrays.equals(expectedPrev, row.prevHash())) {
            report(new ChainBreak(
                    "prev_hash_mismatch",
                    chain,
                    row.seq(),
                    id,
                    HashChain.hex(expectedPrev),
                    HashChain.hex(row.prevHash()),
                    "event " + id + " at seq " + row.seq() + " does not continue from"
                            + " the event before it: events were reordered, replaced or removed here"));
        }
        byte[] computed = HashChain.link(
                expectedPrev != null ? expectedPrev : row.prevHash(),
                row.entry().canonicalJson());
        if (!Arrays.equals(computed, row.hash())) {
            report(new ChainBreak(
                    "hash_mismatch",
                    chain,
                    row.seq(),
                    id,
                    HashChain.hex(computed),
                    HashChain.hex(row.hash()),
                    "event " + id + " at seq " + row.seq() + " does not hash to its stored hash: it was changed after"
                            + " it was ingested"));
        }
        Checkpoint checkpoint = checkpoints.get(row.seq());
        if (checkpoint != null) {
            matched.add(row.seq());
            if (!Arrays.equals(checkpoint.hash(), row.hash())) {
                report(checkpointMismatch(checkpoint, row.hash(), id));
            }
        }
        lastSeq = row.seq();
        lastHash = row.hash();
    }

    /**
     * Ends the walk. With {@code head} (a walk over the whole chain), the last event must be the one the writer
     * recorded as the chain head, and every checkpoint after the anchor must have met its event.
     */
    void finish(@Nullable ChainHead head) {
        Long from = anchor != null ? Long.valueOf(anchor.seq() + 1) : firstSeq;
        Long to = head != null ? Long.valueOf(Long.MAX_VALUE) : lastSeq;
        if (anchor != null) {
            Checkpoint atAnchor = checkpoints.get(anchor.seq());
            if (anchor.seq() > 0 && atAnchor != null && !Arrays.equals(atAnchor.hash(), anchor.hash())) {
                report(new ChainBreak(
                        "anchor_mismatch",
                        chain,
                        anchor.seq(),
                        null,
                        HashChain.hex(atAnchor.hash()),
                        HashChain.hex(anchor.hash()),
                        "the retention record of the events dropped up to seq " + anchor.seq()
                                + " disagrees with the signed checkpoint at that seq"));
            }
        }
        if (from != null && to != null) {
            for (Checkpoint checkpoint :
                    checkpoints.subMap(from, true, to, true).values()) {
                if (!matched.contains(checkpoint.seq())) {
                    report(new ChainBreak(
                            "checkpoint_unmatched",
                            chain,
                            checkpoint.seq(),
                            null,
                            HashChain.hex(checkpoint.hash()),
                            null,
                            "a signed checkpoint (signed " + checkpoint.time() + ") records seq " + checkpoint.seq()
                                    + ", which the chain no longer has: events were deleted"));
                }
            }
        }
        if (head != null) {
            long endSeq = lastSeq != null ? lastSeq : anchor != null ? anchor.seq() : 0;
            byte[] endHash = lastHash != null ? lastHash : anchor != null ? anchor.hash() : HashChain.genesis();
            if (endSeq != head.seq() || !Arrays.equals(endHash, head.hash())) {
                report(new ChainBreak(
                        "head_mismatch",
                        chain,
                        Math.min(endSeq + 1, head.seq()),
                        null,
                        HashChain.hex(head.hash()),
                        HashChain.hex(endHash),
                        "the writer recorded seq " + head.seq()
                                + " as the newest event of this chain, but the chain ends at seq " + endSeq
                                + ": the newest events were deleted or events were added outside the service"));
            }
        }
    }

    private void gapOrRepeat(StoredEvent row, long previousSeq, String id) {
        if (row.seq() > previousSeq + 1) {
            report(new ChainBreak(
                    "missing_events",
                    chain,
                    previousSeq + 1,
                    id,
                    null,
                    null,
                    "seq " + (previousSeq + 1)
                            + (row.seq() - previousSeq > 2 ? " to " + (row.seq() - 1) : "") + " missing before event "
                            + id
                            + " at seq " + row.seq() + ": events were deleted"));
        } else {
            report(new ChainBreak(
                    "duplicate_seq",
                    chain,
                    row.seq(),
                    id,
                    null,
                    null,
                    "event " + id + " repeats seq " + row.seq() + ": an event was inserted or a seq rewritten"));
        }
    }

    private ChainBreak checkpointMismatch(Checkpoint checkpoint, byte[] found, String eventId) {
        Long before = checkpoints.lowerKey(checkpoint.seq());
        return new ChainBreak(
                "checkpoint_mismatch",
                chain,
                checkpoint.seq(),
                eventId,
                HashChain.hex(checkpoint.hash()),
                HashChain.hex(found),
                "the checkpoint signed " + checkpoint.time() + " at seq " + checkpoint.seq()
                        + " no longer matches the chain: its signed hash differs from the event's, so events "
                        + (before == null ? "up to" : "after seq " + before + " up to") + " seq " + checkpoint.seq()
                        + " were rewritten and their hashes recomputed");
    }

    private void report(ChainBreak found) {
        if (firstBreak == null || found.seq() < firstBreak.seq()) {
            firstBreak = found;
        }
    }

    void report(List<ChainBreak> breaks) {
        breaks.forEach(this::report);
    }

    ChainBreak firstBreak() {
        return firstBreak;
    }

    long count() {
        return count;
    }

    Long firstSeq() {
        return firstSeq;
    }

    Long lastSeq() {
        return lastSeq;
    }
}
