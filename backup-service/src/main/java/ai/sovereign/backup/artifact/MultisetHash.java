package ai.sovereign.backup.artifact;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An order-independent content hash of a collection of records: the sum, modulo 2^256, of each record's SHA-256.
 * Rows come back from a restore in a different physical order and graph ids change, so the hash must not depend on
 * order; it still changes when any record is added, removed or altered.
 */
public final class MultisetHash {

    private final MessageDigest sha;
    private final long[] sum = new long[4];
    private long count;

    public MultisetHash() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void add(byte[] record) {
        add(record, 0, record.length);
    }

    public void add(byte[] record, int off, int len) {
        sha.update(record, off, len);
        ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        long carry = 0;
        for (int i = 3; i >= 0; i--) {
            long a = sum[i];
            long b = digest.getLong(i * 8);
            long s = a + b + carry;
            carry = (Long.compareUnsigned(s, a) < 0 || (carry == 1 && s == a)) ? 1 : 0;
            sum[i] = s;
        }
        count++;
    }

    public long count() {
        return count;
    }

    /** Hex of the 256-bit sum. */
    public String hex() {
        ByteBuffer out = ByteBuffer.allocate(32);
        for (long l : sum) {
            out.putLong(l);
        }
        return HexFormat.of().formatHex(out.array());
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
