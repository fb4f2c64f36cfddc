package ai.sovereign.runtime.management;

import ai.sovereign.runtime.security.SecuritySettings;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may read a service's {@code GET /metrics} and the details of its {@code GET /health} (each dependency, its
 * address, its error): a caller with the management token ({@code sovereign.management.token}, {@code
 * SOVEREIGN_MANAGEMENT_TOKEN}, at least 32 characters) as {@code Authorization: Bearer <token>} (Prometheus sends it
 * from {@code authorization.credentials_file}), or anyone in development mode. Everyone else gets the health status
 * only, and 401 for the metrics.
 */
@Singleton
public class ManagementAccess {

    /** The shortest token accepted. */
    static final int MIN_TOKEN_LENGTH = 32;

    private final byte @Nullable [] token;
    private final boolean open;

    public ManagementAccess(@Value("${sovereign.management.token:}") String token, SecuritySettings security) {
        String configured = token == null ? "" : token.strip();
        if (!configured.isEmpty() && configured.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("sovereign.management.token (SOVEREIGN_MANAGEMENT_TOKEN) must be at least "
                    + MIN_TOKEN_LENGTH + " characters (got " + configured.length() + ")");
        }
        this.token = configured.isEmpty() ? null : configured.getBytes(StandardCharsets.UTF_8);
        this.open = security.devMode();
    }

    /** Whether {@code request} may read metrics and health details. */
    public boolean allows(HttpRequest<?> request) {
        if (open) {
            return true;
        }
        if (token == null) {
            return false;
        }
        String authorization = request.getHeaders().getAuthorization().orElse(null);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token);
    }
}
