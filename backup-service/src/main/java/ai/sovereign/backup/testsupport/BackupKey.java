package ai.sovereign.backup.testsupport;

import ai.sovereign.backup.artifact.FileCipher;

/**
 * For benchmarks and tests: a key as {@code backup.encryption.key} gives it to the service (the same
 * {@link FileCipher}), to encrypt the files of a {@link ComponentBackup}. One key can serve many backups.
 */
public final class BackupKey {

    final FileCipher cipher;

    private BackupKey(FileCipher cipher) {
        this.cipher = cipher;
    }

    /** A key of 32 bytes (256 bits). */
    public static BackupKey of(byte[] key) {
        return new BackupKey(new FileCipher(key));
    }

    /** The key's public fingerprint, as a manifest records it. */
    public String keyId() {
        return cipher.keyId();
    }
}
