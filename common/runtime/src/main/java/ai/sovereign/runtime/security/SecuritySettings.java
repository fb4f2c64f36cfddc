package ai.sovereign.runtime.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code sovereign.security.*}: the service's own signing key, the platform's public keys, who may call this service
 * with which roles, and which paths need a token. Outside dev mode nothing is built in: a service that verifies tokens
 * needs {@code trusted-keys}, a service that calls others needs {@code signing-key} (see docs/security.md).
 *
 * @param devMode        {@code sovereign.security.dev-mode}: development only, the built-in development keys
 *                       ({@code dev-service-keys.jwks}) when none are configured; refused outside dev mode
 * @param signingKey     {@code sovereign.security.signing-key} ({@code SOVEREIGN_SECURITY_SIGNING_KEY}): this service's
 *                       private EC P-256 key as a JWK, a file path or the JSON itself; its {@code kid} starts with the
 *                       service's name and a colon. Only services that call others hold one.
 * @param trustedKeys    {@code sovereign.security.trusted-keys} ({@code SOVEREIGN_SECURITY_TRUSTED_KEYS}): the public
 *                       keys of the services that may call this one, a JWKS file path or an http(s) URL
 * @param callers        {@code sovereign.security.callers.<issuer>}: the roles each calling service may present here;
 *                       a token from an issuer not listed, or with another role, is refused
 * @param calls          {@code sovereign.security.calls}: the services this one signs tokens for (their names are
 *                       the tokens' audiences)
 * @param protectedPaths {@code sovereign.security.protected-paths}: path prefixes that need a token
 * @param tokenSecret    {@code sovereign.security.token-secret}: the shared HS256 secret of earlier releases, no longer
 *                       read; a service given one refuses to start and says what replaces it
 */
@ConfigurationProperties("sovereign.security")
public record SecuritySettings(
        @Bindable(defaultValue = "false") boolean devMode,
        @Nullable String signingKey,
        @Nullable String trustedKeys,
        @Nullable Map<String, List<String>> callers,
        @Nullable List<String> calls,
        @Nullable List<String> protectedPaths,
        @Nullable String tokenSecret) {

    public SecuritySettings {
        signingKey = signingKey == null ? "" : signingKey.trim();
        trustedKeys = trustedKeys == null ? "" : trustedKeys.trim();
        callers = callers == null ? Map.of() : Map.copyOf(callers);
        calls = calls == null
                ? List.of()
                : calls.stream().filter(c -> !c.isBlank()).map(String::trim).toList();
        protectedPaths = protectedPaths == null
                ? List.of()
                : protectedPaths.stream().filter(p -> !p.isBlank()).toList();
        tokenSecret = tokenSecret == null ? "" : tokenSecret;
        String problem = problem(devMode, signingKey, trustedKeys, calls, protectedPaths, tokenSecret);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /**
     * What keeps these settings from being used, or null (the launcher builds the settings before the service starts,
     * so that an operator gets this message and exit code 4 rather than a stack trace).
     */
    private static @Nullable String problem(
            boolean devMode,
            @Nullable String signingKey,
            @Nullable String trustedKeys,
            List<String> calls,
            List<String> protectedPaths,
            @Nullable String tokenSecret) {
        if (tokenSecret != null && !tokenSecret.isBlank()) {
            return "sovereign.security.token-secret (SOVEREIGN_SECURITY_TOKEN_SECRET) is no longer used: each service "
                    + "signs its tokens with its own key (SOVEREIGN_SECURITY_SIGNING_KEY) and verifies others' with the "
                    + "platform's public keys (SOVEREIGN_SECURITY_TRUSTED_KEYS); generate them with "
                    + "'java -jar sovereign-local.jar keys <dir>' and remove the secret (docs/security.md)";
        }
        if (devMode) {
            return null;
        }
        if (!calls.isEmpty() && (signingKey == null || signingKey.isBlank())) {
            return "sovereign.security.signing-key (SOVEREIGN_SECURITY_SIGNING_KEY) is not set: this service calls "
                    + String.join(", ", calls) + " with tokens it signs; give it its private key (a JWK file from "
                    + "'java -jar sovereign-local.jar keys <dir>'), or sovereign.security.dev-mode=true for development";
        }
        if (!protectedPaths.isEmpty() && (trustedKeys == null || trustedKeys.isBlank())) {
            return "sovereign.security.trusted-keys (SOVEREIGN_SECURITY_TRUSTED_KEYS) is not set: this service verifies "
                    + "the tokens of its callers on " + String.join(", ", protectedPaths) + "; point it at the "
                    + "platform's public keys (a JWKS file or URL), or sovereign.security.dev-mode=true for development";
        }
        return null;
    }

    /** The roles each issuer may present to this service, parsed; an unknown role name fails here, at start. */
    public Map<String, Set<Role>> callerRoles() {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        callers.forEach((issuer, names) ->
                roles.put(issuer, names.stream().map(Role::parse).collect(Collectors.toUnmodifiableSet())));
        return Map.copyOf(roles);
    }

    @Override
    public String toString() {
        return "SecuritySettings[devMode=" + devMode + ", signingKey=" + (signingKey.isBlank() ? "none" : "(set)")
                + ", trustedKeys=" + (trustedKeys.startsWith("{") ? "(inline)" : trustedKeys) + ", callers=" + callers
                + ", calls=" + calls + ", protectedPaths=" + protectedPaths + "]";
    }
}
