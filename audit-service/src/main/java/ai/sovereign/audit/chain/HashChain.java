package ai.sovereign.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link function of the audit chains: {@code hash = SHA-256(prev_hash ‖ canonical JSON of the event)}, where
 * {@code ‖} is byte concatenation and the first event of a chain follows {@link #GENESIS} (32 zero bytes).
 */
public final class HashChain {

    /** The previous hash of the first event of every chain. */
    private static final byte[] GENESIS = new byte[32];

    private static final HexFormat HEX = HexFormat.of();

    private HashChain() {}

    public static byte[] genesis() {
        return GENESIS.clone();
    }

    /** The hash of an event whose canonical JSON is {@code canonical}, following {@code previous}. */
    public static byte[] link(byte[] previous, byte[] canonical) {
        MessageDigest sha256 = sha256();
        sha256.update(previous);
        return sha256.digest(canonical);
    }

    public static String hex(byte[] hash) {
        return hash == null ? null : HEX.formatHex(hash);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
