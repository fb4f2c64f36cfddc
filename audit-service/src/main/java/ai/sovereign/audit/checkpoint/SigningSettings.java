package ai.sovereign.audit.checkpoint;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code audit.signing.*}: the Ed25519 key that signs checkpoints, kept out of the database. With neither key nor
 * file set, a key is generated into the data directory on first start (development default).
 *
 * @param privateKey        base64 PKCS#8 (DER) private key, e.g. from a secret ({@code AUDIT_SIGNING_PRIVATE_KEY})
 * @param privateKeyFile    or a file holding it, PEM ({@code BEGIN PRIVATE KEY}) or DER
 * @param trustedPublicKeys base64 X.509 public keys of earlier signing keys, still accepted when verifying old
 *                          checkpoints after a key rotation
 * @param generateIfMissing outside dev mode, generate a key into the data directory when none is configured
 */
@ConfigurationProperties("audit.signing")
public record SigningSettings(
        @Nullable String privateKey,
        @Nullable Path privateKeyFile,
        @Bindable(defaultValue = "") List<String> trustedPublicKeys,
        @Bindable(defaultValue = "false") boolean generateIfMissing) {

    public SigningSettings {
        if (privateKey != null && privateKey.isBlank()) {
            privateKey = null;
        }
        if (privateKey != null && privateKeyFile != null) {
            throw new IllegalArgumentException(
                    "set audit.signing.private-key or audit.signing.private-key-file, not both");
        }
        trustedPublicKeys = trustedPublicKeys == null
                ? List.of()
                : trustedPublicKeys.stream().filter(k -> !k.isBlank()).toList();
    }
}
