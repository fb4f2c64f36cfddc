package ai.sovereign.gateway.keys;

import ai.sovereign.runtime.security.Role;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored API key: who it belongs to, what it may do and how much. The key itself is never held, only its keyed
 * hash in the store and its first characters ({@code keyPrefix}) for people to recognise it.
 */
public record ApiKey(
        UUID id,
        String name,
        String tenant,
        Role role,
        String keyPrefix,
        List<String> allowedModels,
        KeyLimits limits,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt,
        String createdBy,
        Instant createdAt,
        @Nullable Instant lastUsedAt) {

    public ApiKey {
        allowedModels = List.copyOf(allowedModels);
    }

    /** Why this key cannot be used at {@code now}, or null when it can. */
    public @Nullable String unusableReason(Instant now) {
        if (revokedAt != null) {
            return "API key " + id + " was revoked";
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return "API key " + id + " expired at " + expiresAt;
        }
        return null;
    }

    /** The id as the services see it (token subject, usage records, audit actor). */
    public String idString() {
        return id.toString();
    }
}
