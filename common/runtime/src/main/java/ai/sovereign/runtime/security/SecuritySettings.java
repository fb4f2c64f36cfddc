package ai.sovereign.runtime.security;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * {@code sovereign.security.token-secret} ({@code SOVEREIGN_SECURITY_TOKEN_SECRET}, at least 32 bytes, the same on
 * every service) and {@code sovereign.security.protected-paths} (path prefixes that need a token). Outside dev mode
 * ({@code sovereign.security.dev-mode=true}) a missing secret stops the service at start: no default secret is
 * accepted in production.
 */
@Singleton
public class SecuritySettings {

    /** Used only when dev mode is on and no secret is configured. */
    static final String DEV_SECRET = "dev-mode-only-secret-never-use-in-production-0123456789";

    private final byte[] secret;
    private final List<String> protectedPaths;
    private final boolean devMode;

    public SecuritySettings(@Value("${sovereign.security.token-secret:}") String secret,
                            @Value("${sovereign.security.dev-mode:false}") boolean devMode,
                            @Value("${sovereign.security.protected-paths:}") List<String> protectedPaths) {
        if (secret.isBlank() && !devMode) {
            throw new IllegalStateException("sovereign.security.token-secret (SOVEREIGN_SECURITY_TOKEN_SECRET) is not set; "
                    + "set the platform's shared secret (32+ bytes), or sovereign.security.dev-mode=true for development only");
        }
        this.secret = (secret.isBlank() ? DEV_SECRET : secret).getBytes(StandardCharsets.UTF_8);
        this.protectedPaths = protectedPaths.stream().filter(p -> !p.isBlank()).toList();
        this.devMode = devMode;
    }

    public byte[] secret() {
        return secret.clone();
    }

    public List<String> protectedPaths() {
        return protectedPaths;
    }

    public boolean devMode() {
        return devMode;
    }
}
