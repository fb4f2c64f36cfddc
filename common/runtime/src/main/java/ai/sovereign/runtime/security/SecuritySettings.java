package ai.sovereign.runtime.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code sovereign.security.*}. Outside dev mode a missing secret stops the service at start: no default secret is
 * accepted in production.
 *
 * @param tokenSecret    {@code sovereign.security.token-secret} ({@code SOVEREIGN_SECURITY_TOKEN_SECRET}, at least 32
 *                       bytes, the same on every service): signs and verifies the service tokens
 * @param devMode        {@code sovereign.security.dev-mode}: development only, a built-in secret when none is set
 * @param protectedPaths {@code sovereign.security.protected-paths}: path prefixes that need a token
 */
@ConfigurationProperties("sovereign.security")
public record SecuritySettings(
        @Nullable String tokenSecret,
        @Bindable(defaultValue = "false") boolean devMode,
        @Nullable List<String> protectedPaths) {

    /** Used only when dev mode is on and no secret is configured. */
    static final String DEV_SECRET = "dev-mode-only-secret-never-use-in-production-0123456789";

    public SecuritySettings {
        tokenSecret = tokenSecret == null ? "" : tokenSecret;
        if (tokenSecret.isBlank() && !devMode) {
            throw new IllegalStateException(
                    "sovereign.security.token-secret (SOVEREIGN_SECURITY_TOKEN_SECRET) is not set; "
                            + "set the platform's shared secret (32+ bytes), or sovereign.security.dev-mode=true for development only");
        }
        protectedPaths = protectedPaths == null
                ? List.of()
                : protectedPaths.stream().filter(p -> !p.isBlank()).toList();
    }

    /** The secret's bytes: the configured one, or in dev mode without one the built-in one. */
    public byte[] secret() {
        return (tokenSecret.isBlank() ? DEV_SECRET : tokenSecret).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SecuritySettings[tokenSecret=" + (tokenSecret.isBlank() ? "none" : "(set)") + ", devMode=" + devMode
                + ", protectedPaths=" + protectedPaths + "]";
    }
}
