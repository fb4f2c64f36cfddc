package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.HashChain;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

/** The JSON shapes of the checkpoint endpoints. */
final class CheckpointViews {

    private CheckpointViews() {}

    /** A checkpoint with the exact payload that was signed, for offline verification. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record CheckpointView(
            int chain,
            long seq,
            String hash,
            String time,
            @Nullable String previousSignature,
            String keyId,
            String signature,
            String signedPayload) {

        static CheckpointView of(Checkpoint c) {
            Base64.Encoder b64 = Base64.getEncoder();
            return new CheckpointView(
                    c.chain(),
                    c.seq(),
                    HashChain.hex(c.hash()),
                    AuditEntry.formatTime(c.time()),
                    c.previousSignature() == null ? null : b64.encodeToString(c.previousSignature()),
                    c.keyId(),
                    b64.encodeToString(c.signature()),
                    new String(c.signedPayload(), StandardCharsets.UTF_8));
        }
    }

    /** A public key: base64 X.509 SubjectPublicKeyInfo and the same as PEM. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record PublicKeyView(String algorithm, String keyId, String spkiBase64, String pem) {

        static PublicKeyView of(String keyId, PublicKey key) {
            String base64 = Base64.getEncoder().encodeToString(key.getEncoded());
            String pem = "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
            return new PublicKeyView("Ed25519", keyId, base64, pem);
        }
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    record CheckpointPage(
            PublicKeyView publicKey,
            List<PublicKeyView> trustedKeys,
            List<CheckpointView> data,
            @Nullable String nextCursor) {}

    @Serdeable(naming = SnakeCaseStrategy.class)
    record CreatedCheckpoints(PublicKeyView publicKey, List<CheckpointView> created) {}
}
