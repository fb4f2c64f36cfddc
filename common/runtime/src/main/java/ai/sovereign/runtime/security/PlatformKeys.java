package ai.sovereign.runtime.security;

import ai.sovereign.runtime.files.OwnerOnlyFiles;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key files of one platform in a directory: {@code <service>.jwk}, the private EC P-256 key of each service that
 * calls others (gateway, ingestion, backup-service; readable by the owner only), and {@code trusted-keys.jwks}, the
 * public keys of all of them, which every service is given. Missing keys are generated, present ones kept, so a
 * restart keeps the platform's keys; the all-in-one keeps them in its data directory, and
 * {@code java -jar sovereign-local.jar keys <dir>} writes them for compose and Kubernetes.
 */
public final class PlatformKeys {

    /** The services that sign tokens: each gets a key pair. The router, audit-service and gpu-agent get none. */
    public static final List<String> SIGNING_SERVICES = List.of("gateway", "ingestion", "backup-service");

    public static final String TRUSTED_KEYS_FILE = "trusted-keys.jwks";

    private final Path directory;

    private PlatformKeys(Path directory) {
        this.directory = directory;
    }

    /** The keys in {@code directory}, generating the ones missing. */
    public static PlatformKeys loadOrGenerate(Path directory) {
        try {
            Files.createDirectories(directory);
            List<JWK> publicKeys = new ArrayList<>();
            for (String service : SIGNING_SERVICES) {
                Path file = directory.resolve(service + ".jwk");
                ECKey key;
                if (Files.exists(file)) {
                    key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                } else {
                    key = generate(service);
                    OwnerOnlyFiles.write(file, key.toJSONString());
                }
                publicKeys.add(key.toPublicJWK());
            }
            Files.writeString(
                    directory.resolve(TRUSTED_KEYS_FILE),
                    new JWKSet(publicKeys).toString(true),
                    StandardCharsets.UTF_8);
            return new PlatformKeys(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the platform's keys to " + directory, e);
        } catch (ParseException e) {
            throw new IllegalStateException("a key file in " + directory + " is not a JWK: " + e.getMessage(), e);
        }
    }

    /** A new key pair for {@code service}, its {@code kid} the service's name and the key's thumbprint. */
    static ECKey generate(String service) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).generate();
            String thumbprint = key.computeThumbprint().toString();
            return new ECKey.Builder(key)
                    .keyID(service + ":" + thumbprint.substring(0, 16))
                    .build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** The private key file of {@code service}, or null if it signs nothing. */
    public Path signingKey(String service) {
        return SIGNING_SERVICES.contains(service) ? directory.resolve(service + ".jwk") : null;
    }

    /**
     * A signer with {@code service}'s key for {@code audiences}: what that service itself builds from its
     * configuration, for tools and tests that act as it (an operator's break-glass admin token, say).
     */
    public ServiceTokenSigner signer(String service, List<String> audiences, java.time.Clock clock) {
        Path key = signingKey(service);
        if (key == null) {
            throw new IllegalArgumentException(service + " holds no signing key");
        }
        SecuritySettings settings = new SecuritySettings(false, key.toString(), null, null, audiences, null, null);
        return new ServiceTokenSigner(service, ServiceKeys.signingKey(settings, service), audiences, clock);
    }

    public Path trustedKeys() {
        return directory.resolve(TRUSTED_KEYS_FILE);
    }

    /** {@code sovereign.security.*} properties that give {@code service} its keys. */
    public Map<String, Object> properties(String service) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("sovereign.security.trusted-keys", trustedKeys().toString());
        Path key = signingKey(service);
        if (key != null) {
            properties.put("sovereign.security.signing-key", key.toString());
        }
        return properties;
    }

    /** The same as environment variables, for a service started as a process. */
    public Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        properties(service)
                .forEach((property, value) -> environment.put(
                        property.toUpperCase(java.util.Locale.ROOT)
                                .replace('.', '_')
                                .replace('-', '_'),
                        String.valueOf(value)));
        return environment;
    }
}
