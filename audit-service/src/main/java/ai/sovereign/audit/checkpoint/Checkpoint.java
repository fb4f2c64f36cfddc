package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.CanonicalJson;
import ai.sovereign.audit.chain.HashChain;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A signed statement that chain {@code chain} had hash {@code hash} at {@code seq} at {@code time}, linked to the
 * chain's previous checkpoint by carrying its signature, like CloudTrail's digest files.
 *
 * <p>The signature is Ed25519 over {@link #signedPayload()}: the canonical JSON of
 * {@code {"chain", "hash" (hex), "keyId", "previousSignature" (base64 or null), "seq", "time"}}.
 */
public record Checkpoint(
        int chain,
        long seq,
        byte[] hash,
        Instant time,
        @Nullable byte[] previousSignature,
        String keyId,
        byte[] signature) {

    /** The exact bytes that are signed. */
    public byte[] signedPayload() {
        return payload(chain, seq, hash, time, previousSignature, keyId);
    }

    static byte[] payload(int chain, long seq, byte[] hash, Instant time, byte[] previousSignature, String keyId) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("chain", chain);
        fields.put("seq", seq);
        fields.put("hash", HashChain.hex(hash));
        fields.put("time", AuditEntry.formatTime(time));
        fields.put(
                "previousSignature",
                previousSignature == null ? null : Base64.getEncoder().encodeToString(previousSignature));
        fields.put("keyId", keyId);
        return CanonicalJson.toBytes(fields);
    }

    /** The same statement, field by field (records compare arrays by identity). */
    public boolean sameAs(Checkpoint other) {
        return chain == other.chain
                && seq == other.seq
                && Arrays.equals(hash, other.hash)
                && time.equals(other.time)
                && Arrays.equals(previousSignature, other.previousSignature)
                && keyId.equals(other.keyId)
                && Arrays.equals(signature, other.signature);
    }
}
