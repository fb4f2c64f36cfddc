package ai.sovereign.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.runtime.signing.SigningKey;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the checkpoint signing key comes from, and that production never runs on a key nobody configured. */
class SigningKeyConfigurationTest {

    @TempDir
    Path dir;

    private Map<String, Object> production() {
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.postgresProperties(DatabaseRoles.AUDIT));
        props.putAll(SharedInfrastructure.kafkaProperties("audit-service"));
        props.put("micronaut.server.port", -1);
        props.put("sovereign.security.dev-mode", false);
        props.putAll(PlatformKeys.loadOrGenerate(dir.resolve("keys")).properties("audit-service"));
        props.put("audit.consumer.enabled", false);
        props.put("audit.data-dir", dir.resolve("data").toString());
        return props;
    }

    @Test
    void outsideDevModeAMissingKeyStopsTheStartNamingTheSettings() {
        assertThatThrownBy(() -> ApplicationContext.run(production()).close())
                .hasStackTraceContaining("audit.signing.private-key")
                .hasStackTraceContaining("audit.signing.private-key-file");
        assertThat(dir.resolve("data").resolve("signing-key.pem")).doesNotExist();
    }

    @Test
    void keyFileIsUsedAndTheDerivedPublicKeyMatches() throws Exception {
        SigningKey key = SigningKey.generate();
        Path file = dir.resolve("audit-signing.pem");
        Files.writeString(file, key.privateKeyPem(), StandardCharsets.US_ASCII);
        Map<String, Object> props = production();
        props.put("audit.signing.private-key-file", file.toString());
        try (ApplicationContext context = ApplicationContext.run(props)) {
            SigningKey loaded = context.getBean(SigningKey.class);
            assertThat(loaded.keyId()).isEqualTo(key.keyId());
            byte[] payload = "chain 0 seq 7".getBytes(StandardCharsets.UTF_8);
            assertThat(SigningKey.verify(key.publicKey(), payload, loaded.sign(payload)))
                    .isTrue();
        }
    }

    @Test
    void generateIfMissingWritesAKeyIntoTheDataDirectoryAndReusesIt() {
        Map<String, Object> props = production();
        props.put("audit.signing.generate-if-missing", true);
        String first;
        try (ApplicationContext context = ApplicationContext.run(props)) {
            first = context.getBean(SigningKey.class).keyId();
        }
        assertThat(dir.resolve("data").resolve("signing-key.pem")).exists();
        assertThat(dir.resolve("data").resolve("signing-key.pub.pem")).exists();
        try (ApplicationContext context = ApplicationContext.run(props)) {
            assertThat(context.getBean(SigningKey.class).keyId()).isEqualTo(first);
        }
    }

    @Test
    void aKeyThatIsNotEd25519IsRefusedNamingTheSetting() {
        Map<String, Object> props = production();
        props.put("audit.signing.private-key", "bm90IGEga2V5");
        assertThatThrownBy(() -> ApplicationContext.run(props).close())
                .hasStackTraceContaining("audit.signing.private-key");
    }
}
