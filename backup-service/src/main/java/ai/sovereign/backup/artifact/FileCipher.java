package ai.sovereign.backup.artifact;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.util.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The encryption of a backup's data files: Tink's streaming AEAD (AES-256-GCM-HKDF, 64 KiB ciphertext segments, a
 * fresh per-file key derived from the backup key and a random salt), with the run id and the file's stored name as
 * associated data. A file is authenticated segment by segment, so it cannot be read with another key, truncated,
 * extended, reordered, or moved to another name or another backup without the read failing.
 */
public final class FileCipher {

    /** What the manifest names as the algorithm. */
    public static final String ALGORITHM = "AES256_GCM_HKDF_64KB (Tink streaming AEAD; run id and file name bound)";

    private static final int CIPHERTEXT_SEGMENT = 64 * 1024;

    private final StreamingAead aead;
    private final byte[] key;

    /** {@code key}: the 32 bytes of {@code backup.encryption.key}. */
    @AccessesPartialKey
    public FileCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "backup.encryption.key must be 32 bytes (base64 of 256 bits); got " + key.length + " bytes");
        }
        this.key = key.clone();
        try {
            AesGcmHkdfStreamingParameters parameters = AesGcmHkdfStreamingParameters.builder()
                    .setKeySizeBytes(32)
                    .setDerivedAesGcmKeySizeBytes(32)
                    .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                    .setCiphertextSegmentSizeBytes(CIPHERTEXT_SEGMENT)
                    .build();
            this.aead = AesGcmHkdfStreaming.create(AesGcmHkdfStreamingKey.create(
                    parameters, SecretBytes.copyFrom(this.key, InsecureSecretKeyAccess.get())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM streaming encryption is not available: " + e.getMessage(), e);
        }
    }

    /** A short public fingerprint of the key, stored in the manifest so a restore can say which key it needs. */
    public String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * 32 bytes derived from the key for another purpose (HKDF-SHA256 with {@code purpose} as info), independent of the
     * file encryption: the manifest's signing seed when no separate signing key is configured.
     */
    public byte[] derive(String purpose) {
        try {
            return Hkdf.computeHkdf("HMACSHA256", key, new byte[0], purpose.getBytes(StandardCharsets.UTF_8), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypts what is written to the returned stream into {@code out}, as file {@code storedName} of run {@code runId}. */
    public OutputStream encrypting(OutputStream out, String runId, String storedName) throws IOException {
        try {
            return aead.newEncryptingStream(out, associatedData(runId, storedName));
        } catch (GeneralSecurityException e) {
            throw new IOException("encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * The plain content of file {@code storedName} of run {@code runId}; reading fails with an {@link IOException} when
     * the key is wrong or the file was changed, cut short, or written for another name or run.
     */
    public InputStream decrypting(InputStream in, String runId, String storedName) throws IOException {
        try {
            return aead.newDecryptingStream(in, associatedData(runId, storedName));
        } catch (GeneralSecurityException e) {
            throw new IOException("decryption failed: " + e.getMessage(), e);
        }
    }

    static byte[] associatedData(String runId, String storedName) {
        return ("sovereign-backup/2\u0000" + runId + "\u0000" + storedName).getBytes(StandardCharsets.UTF_8);
    }
}
