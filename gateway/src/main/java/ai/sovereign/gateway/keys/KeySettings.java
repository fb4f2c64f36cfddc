package ai.sovereign.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * {@code gateway.keys.secret} ({@code GATEWAY_KEYS_SECRET}, 32+ bytes: the HMAC key for stored key hashes; required
 * outside dev mode), {@code gateway.keys.cache-ttl} (how long a looked-up key is trusted before the store is asked
 * again; also how long a revocation made on another replica can take to apply), {@code sovereign.bootstrap.admin-key}
 * ({@code SOVEREIGN_BOOTSTRAP_ADMIN_KEY}) and {@code gateway.bootstrap.key-file} (where a generated bootstrap key
 * is written).
 */
@Singleton
public class KeySettings {

    static final String DEV_SECRET = "gateway-dev-mode-key-secret-never-use-in-production";

    private final byte[] secret;
    private final Duration cacheTtl;
    private final String bootstrapKey;
    private final Path bootstrapFile;

    public KeySettings(@Value("${gateway.keys.secret:}") String secret,
                       @Value("${sovereign.security.dev-mode:false}") boolean devMode,
                       @Value("${gateway.keys.cache-ttl:5s}") Duration cacheTtl,
                       @Value("${sovereign.bootstrap.admin-key:}") String bootstrapKey,
                       @Value("${sovereign.bootstrap.admin.key:}") String bootstrapKeyFromEnvironment,
                       @Value("${gateway.bootstrap.key-file:data/gateway/bootstrap-admin.key}") Path bootstrapFile) {
        if (secret.isBlank() && !devMode) {
            throw new IllegalStateException("gateway.keys.secret (GATEWAY_KEYS_SECRET) is not set; set a random secret "
                    + "of 32+ bytes (keep it: changing it invalidates every API key), or sovereign.security.dev-mode=true "
                    + "for development only");
        }
        this.secret = (secret.isBlank() ? DEV_SECRET : secret).getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < 32) {
            throw new IllegalStateException("gateway.keys.secret must be at least 32 bytes (got " + this.secret.length + ")");
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalStateException("gateway.keys.cache-ttl must be ≥ 0 (got " + cacheTtl + ")");
        }
        this.cacheTtl = cacheTtl;
        // SOVEREIGN_BOOTSTRAP_ADMIN_KEY arrives as sovereign.bootstrap.admin.key
        this.bootstrapKey = (bootstrapKey.isBlank() ? bootstrapKeyFromEnvironment : bootstrapKey).trim();
        this.bootstrapFile = bootstrapFile;
    }

    public byte[] secret() {
        return secret.clone();
    }

    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** The operator-supplied bootstrap admin key, or null. */
    public @Nullable String bootstrapKey() {
        return bootstrapKey.isEmpty() ? null : bootstrapKey;
    }

    public Path bootstrapFile() {
        return bootstrapFile;
    }
}
