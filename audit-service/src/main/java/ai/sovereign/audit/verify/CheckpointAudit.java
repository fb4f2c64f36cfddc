package ai.sovereign.audit.verify;

import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.checkpoint.Checkpoint;
import ai.sovereign.audit.checkpoint.TrustedKeys;
import ai.sovereign.runtime.signing.SigningKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one chain's checkpoints on their own, without the events: each is signed by a trusted key, each carries the
 * signature of the one before it (none removed, none inserted), and the database copy equals the file copy. A
 * checkpoint in the database without a file copy is only a warning (the file write may have failed, which is logged
 * when it happens); one in the files but not in the database was deleted.
 */
final class CheckpointAudit {

    private CheckpointAudit() {}

    /** The breaks found, in seq order; warnings are added to {@code warnings}. */
    static List<ChainBreak> check(
            int chain, List<Checkpoint> database, List<Checkpoint> files, TrustedKeys keys, List<String> warnings) {
        List<ChainBreak> breaks = new ArrayList<>();
        byte[] previousSignature = null;
        long previousSeq = 0;
        for (Checkpoint checkpoint : database) {
            Optional<PublicKey> key = keys.find(checkpoint.keyId());
            if (key.isEmpty()) {
                breaks.add(new ChainBreak(
                        "checkpoint_untrusted_key",
                        chain,
                        checkpoint.seq(),
                        null,
                        null,
                        null,
                        "checkpoint at seq " + checkpoint.seq() + " names key " + checkpoint.keyId()
                                + ", which is not a trusted signing key (see audit.signing.trusted-public-keys)"));
            } else if (!SigningKey.verify(key.get(), checkpoint.signedPayload(), checkpoint.signature())) {
                breaks.add(new ChainBreak(
                        "checkpoint_signature_invalid",
                        chain,
                        checkpoint.seq(),
                        null,
                        null,
                        HashChain.hex(checkpoint.hash()),
                        "the signature of the checkpoint at seq " + checkpoint.seq()
                                + " (signed " + checkpoint.time()
                                + ") no longer matches its contents: the checkpoint row was"
                                + " changed in the database"));
            }
            if (!Arrays.equals(previousSignature, checkpoint.previousSignature())) {
                breaks.add(new ChainBreak(
                        "checkpoint_sequence_broken",
                        chain,
                        checkpoint.seq(),
                        null,
                        null,
                        null,
                        "the checkpoint at seq " + checkpoint.seq() + " does not carry the signature of the checkpoint"
                                + " before it (" + (previousSeq == 0 ? "none" : "seq " + previousSeq)
                                + "): a checkpoint was removed or inserted"));
            }
            previousSignature = checkpoint.signature();
            previousSeq = checkpoint.seq();
        }
        Map<Long, Checkpoint> bySeq = new HashMap<>();
        database.forEach(c -> bySeq.put(c.seq(), c));
        Set<Long> inFiles = new HashSet<>();
        for (Checkpoint copy : files) {
            if (copy.chain() != chain) {
                continue;
            }
            inFiles.add(copy.seq());
            Checkpoint stored = bySeq.get(copy.seq());
            if (stored == null) {
                breaks.add(new ChainBreak(
                        "checkpoint_missing",
                        chain,
                        copy.seq(),
                        null,
                        HashChain.hex(copy.hash()),
                        null,
                        "the checkpoint at seq " + copy.seq() + " (signed " + copy.time() + ") is in the checkpoint"
                                + " files but not in the database: it was deleted"));
            } else if (!stored.sameAs(copy)) {
                breaks.add(new ChainBreak(
                        "checkpoint_altered",
                        chain,
                        copy.seq(),
                        null,
                        HashChain.hex(copy.hash()),
                        HashChain.hex(stored.hash()),
                        "the checkpoint at seq " + copy.seq() + " in the database differs from its file copy"));
            }
        }
        for (Checkpoint stored : database) {
            if (!inFiles.contains(stored.seq())) {
                warnings.add("checkpoint at seq " + stored.seq() + " has no file copy");
            }
        }
        breaks.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return breaks;
    }
}
