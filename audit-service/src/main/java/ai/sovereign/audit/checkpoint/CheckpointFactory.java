package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.store.StorageSettings;
import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.signing.SigningKey;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checkpoint files and the signing key, from {@code audit.signing.private-key}, else {@code audit.signing.private-key-file}, else the key
 * generated into {@code <audit.data-dir>/signing-key.pem} on first start (a development default: in production give
 * the key from a secret store, so that whoever administers the database cannot read it). Outside dev mode
 * ({@code sovereign.security.dev-mode}) a key is generated only with {@code audit.signing.generate-if-missing=true};
 * otherwise the service refuses to start.
 */
@Factory
public class CheckpointFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFactory.class);
    static final String GENERATED_KEY_FILE = "signing-key.pem";

    @Context
    SigningKey signingKey(SigningSettings settings, StorageSettings storage, SecuritySettings security) {
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
        if (!security.devMode() && !settings.generateIfMissing()) {
            throw new IllegalStateException("no checkpoint signing key: set audit.signing.private-key"
                    + " (AUDIT_SIGNING_PRIVATE_KEY, base64 PKCS#8 Ed25519) or audit.signing.private-key-file"
                    + " (AUDIT_SIGNING_PRIVATE_KEY_FILE, a PEM file outside the database); or set"
                    + " audit.signing.generate-if-missing=true to generate one into " + generated.toAbsolutePath());
        }
        if (Files.exists(generated)) {
            return fromFile(generated, "the generated key file");
        }
        SigningKey key = SigningKey.generate();
        write(generated, key);
        LOG.warn(
                "no audit.signing.private-key or private-key-file configured ({}): generated a new Ed25519 checkpoint"
                        + " signing key at {} (key id {}, public key next to it); back it up, and in production give the key"
                        + " from a secret store instead",
                security.devMode() ? "dev mode" : "audit.signing.generate-if-missing",
                generated.toAbsolutePath(),
                key.keyId());
        return key;
    }

    @Singleton
    TrustedKeys trustedKeys(SigningKey current, SigningSettings settings) {
        try {
            return new TrustedKeys(
                    current,
                    settings.trustedPublicKeys().stream()
                            .map(SigningKey::publicKeyFrom)
                            .toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit.signing.trusted-public-keys: " + e.getMessage(), e);
        }
    }

    @Singleton
    CheckpointFiles checkpointFiles(StorageSettings storage, JsonMapper json) {
        return new CheckpointFiles(storage.dataDir(), storage.backup().stream().toList(), json);
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
            Files.writeString(
                    file.resolveSibling("signing-key.pub.pem"), key.publicKeyPem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the generated signing key to " + file + ": " + e.getMessage(), e);
        }
    }
}
