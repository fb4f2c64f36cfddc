package ai.sovereign.gateway.keys;

import ai.sovereign.runtime.security.SecuritySettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The key store's HMAC secret and cache lifetime as the key service uses them: {@code gateway.keys.*}
 * ({@link ApiKeySettings}), with a built-in secret in dev mode ({@code sovereign.security.dev-mode}) when none is set;
 * outside dev mode a missing secret stops the gateway at start.
 */
@Singleton
public class KeySettings {

    static final String DEV_SECRET = "gateway-dev-mode-key-secret-never-use-in-production";

    private final byte[] secret;
    private final Duration cacheTtl;
    private final Duration staleIfError;

    public KeySettings(ApiKeySettings keys, SecuritySettings security) {
        if (keys.secret().isBlank() && !security.devMode()) {
            throw new IllegalStateException("gateway.keys.secret (GATEWAY_KEYS_SECRET) is not set; set a random secret "
                    + "of 32+ bytes (keep it: changing it invalidates every API key), or sovereign.security.dev-mode=true "
                    + "for development only");
        }
        this.secret = (keys.secret().isBlank() ? DEV_SECRET : keys.secret()).getBytes(StandardCharsets.UTF_8);
        this.cacheTtl = keys.cacheTtl();
        this.staleIfError = keys.staleIfError();
    }

    public byte[] secret() {
        return secret.clone();
    }

    public Duration cacheTtl() {
        return cacheTtl;
    }

    public Duration staleIfError() {
        return staleIfError;
    }
}
