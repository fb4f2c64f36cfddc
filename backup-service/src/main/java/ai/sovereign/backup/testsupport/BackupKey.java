package ai.sovereign.backup.testsupport;

import ai.sovereign.backup.artifact.SegmentedGcm;

/**
 * For benchmarks and tests: an AES-256-GCM key as {@code backup.encryption.key} gives it to the service (the same
 * segmented GCM), to encrypt the files of a {@link ComponentBackup}. One key can serve many backups.
 */
public final class BackupKey {

    final SegmentedGcm gcm;

    private BackupKey(SegmentedGcm gcm) {
        this.gcm = gcm;
    }

    /** A key of 32 bytes (256 bits). */
    public static BackupKey of(byte[] key) {
        return new BackupKey(new SegmentedGcm(key));
    }

    /** The key's public fingerprint, as a manifest records it. */
    public String keyId() {
        return gcm.keyId();
    }
}
