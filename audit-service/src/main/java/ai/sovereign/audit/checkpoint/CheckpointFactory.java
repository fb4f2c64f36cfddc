package ai.sovereign.audit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import ai.sovereign.audit.store.StorageSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint files and the signing key, from {@code audit.signing.private-key}, else {@code audit.signing.private-key-file}, else the key
 * generated into {@code <audit.data-dir>/signing-key.pem} on first start (a development default: in production give
 * the key from a secret store, so that whoever administers the database cannot read it).
 */
@Factory
public class CheckpointFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFactory.class);
    static final String GENERATED_KEY_FILE = "signing-key.pem";

    @Singleton
    SigningKey signingKey(SigningSettings settings, StorageSettings storage) {
        if (settings.privateKey() != null) {
            try {
                return SigningKey.fromPemOrBase64(settings.privateKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("audit.signing.private-key: " + e.getMessage(), e);
            }
        }
        if (settings.privateKeyFile() != null) {
            return fromFile(settings.privateKeyFile(), "audit.signing.private-key-file");
        }
        Path generated = storage.dataDir().resolve(GENERATED_KEY_FILE);
        if (Files.exists(generated)) {
            return fromFile(generated, "the generated key file");
        }
        SigningKey key = SigningKey.generate();
        write(generated, key);
        LOG.warn("no audit.signing.private-key or private-key-file configured: generated a new Ed25519 signing key at {}"
                + " (key id {}); back it up and configure it explicitly in production", generated.toAbsolutePath(),
                key.keyId());
        return key;
    }

    @Singleton
    TrustedKeys trustedKeys(SigningKey current, SigningSettings settings) {
        try {
            return new TrustedKeys(current, settings.trustedPublicKeys().stream().map(SigningKey::publicKeyFrom).toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit.signing.trusted-public-keys: " + e.getMessage(), e);
        }
    }

    @Singleton
    CheckpointFiles checkpointFiles(StorageSettings storage) {
        return new CheckpointFiles(storage.dataDir(), storage.backup().stream().toList());
    }

    private static SigningKey fromFile(Path file, String setting) {
        try {
            byte[] content = Files.readAllBytes(file);
            String text = new String(content, StandardCharsets.US_ASCII);
            return text.contains("-----BEGIN") ? SigningKey.fromPemOrBase64(text) : SigningKey.fromPkcs8(content);
        } catch (IOException e) {
            throw new UncheckedIOException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " (" + file + "): " + e.getMessage(), e);
        }
    }

    private static void write(Path file, SigningKey key) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, key.privateKeyPem(), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.warn("cannot restrict permissions of {} on this file system", tmp);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(file.resolveSibling("signing-key.pub.pem"), key.publicKeyPem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated signing key to " + file + ": " + e.getMessage(), e);
        }
    }
}
