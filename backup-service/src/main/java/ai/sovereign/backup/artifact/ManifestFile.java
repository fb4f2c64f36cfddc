package ai.sovereign.backup.artifact;

import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.runtime.signing.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code manifest.json} and its Ed25519 signature {@code manifest.json.sig}: written last; read first, and the signature
 * is checked on the stored bytes before anything in them (or any other file) is trusted. The manifest holds the size
 * and SHA-256 of every data file, so a signed manifest vouches for the whole backup.
 */
public final class ManifestFile {

    public static final String SIGNATURE_FILE = Manifest.FILE_NAME + ".sig";
    /** A manifest lists files and counts; anything bigger is not one this service wrote. */
    static final long MAX_BYTES = 16L << 20;

    private ManifestFile() {}

    /** The signature file's content. */
    public record Signature(String algorithm, String keyId, String signature) {}

    /** Writes {@code manifest} and, when a key is given, its signature; returns the manifest's bytes. */
    public static byte[] write(
            BackupTarget target, String location, Manifest manifest, Optional<SigningKey> key, JsonMapper json)
            throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        try (OutputStream out = target.create(location, Manifest.FILE_NAME)) {
            out.write(bytes);
        }
        if (key.isPresent()) {
            Signature signature = new Signature(
                    "Ed25519",
                    key.get().keyId(),
                    Base64.getEncoder().encodeToString(key.get().sign(bytes)));
            try (OutputStream out = target.create(location, SIGNATURE_FILE)) {
                out.write(json.writeValueAsBytes(signature));
            }
        }
        return bytes;
    }

    /**
     * The manifest of run {@code runId} at {@code location}, after checking (with a key) its signature, and that it
     * is a manifest of this format for this run. A problem is an {@link ArtifactException} naming the file.
     */
    public static Manifest read(
            BackupTarget target, String location, String runId, Optional<SigningKey> key, JsonMapper json)
            throws ArtifactException {
        byte[] bytes = bytes(target, location, Manifest.FILE_NAME);
        if (key.isPresent()) {
            if (absent(target, location, SIGNATURE_FILE)) {
                // an older backup has none: say so rather than only "missing" (its content is still not trusted)
                Manifest unsigned = parse(bytes, json);
                checkFormat(unsigned);
            }
            byte[] stored = bytes(target, location, SIGNATURE_FILE);
            Signature signature;
            byte[] signatureBytes;
            try {
                signature = json.readValue(stored, Signature.class);
                signatureBytes = Base64.getDecoder().decode(signature.signature());
            } catch (RuntimeException e) {
                throw new ArtifactException(SIGNATURE_FILE, "is not a signature file: " + e.getMessage());
            }
            if (!SigningKey.verify(key.get().publicKey(), bytes, signatureBytes)) {
                throw new ArtifactException(
                        Manifest.FILE_NAME,
                        key.get().keyId().equals(signature.keyId())
                                ? "signature does not match: the manifest was changed after the backup was written"
                                : "signature does not match: it was signed with key " + signature.keyId()
                                        + ", the configured key is " + key.get().keyId());
            }
        }
        Manifest manifest = parse(bytes, json);
        checkFormat(manifest);
        if (!runId.equals(manifest.runId())) {
            throw new ArtifactException(
                    Manifest.FILE_NAME,
                    "belongs to backup " + manifest.runId() + ", not " + runId
                            + " (files were copied between backups)");
        }
        return manifest;
    }

    /** The signing key when none is configured: derived from the encryption key, for this purpose only. */
    public static SigningKey derivedSigningKey(FileCipher cipher) {
        return SigningKey.fromSeed(cipher.derive("sovereign backup manifest signature"));
    }

    private static Manifest parse(byte[] bytes, JsonMapper json) throws ArtifactException {
        try {
            return json.readValue(bytes, Manifest.class);
        } catch (RuntimeException e) {
            throw new ArtifactException(Manifest.FILE_NAME, "cannot be read: " + e.getMessage());
        }
    }

    private static void checkFormat(Manifest manifest) throws ArtifactException {
        if (manifest.formatVersion() != Manifest.FORMAT) {
            throw new ArtifactException(
                    Manifest.FILE_NAME,
                    "is format " + manifest.formatVersion() + "; this service reads format " + Manifest.FORMAT
                            + " (backups of format 1, written before manifests were signed, are read by the release"
                            + " that wrote them)");
        }
    }

    private static boolean absent(BackupTarget target, String location, String name) throws ArtifactException {
        try {
            return target.size(location, name) < 0;
        } catch (java.io.IOException e) {
            throw new ArtifactException(name, "is unreadable: " + e.getMessage());
        }
    }

    /** What a manifest records about its encryption. */
    public static Map<String, String> encryptionOf(FileCipher cipher) {
        return Map.of("algorithm", FileCipher.ALGORITHM, "key_id", cipher.keyId());
    }

    private static byte[] bytes(BackupTarget target, String location, String name) throws ArtifactException {
        try {
            long size = target.size(location, name);
            if (size < 0) {
                throw new ArtifactException(name, "is missing");
            }
            if (size > MAX_BYTES) {
                throw new ArtifactException(name, "is " + size + " bytes, more than a manifest can be");
            }
            try (InputStream in = target.open(location, name)) {
                return in.readNBytes((int) MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw new ArtifactException(name, "is unreadable: " + e.getMessage());
        }
    }
}
