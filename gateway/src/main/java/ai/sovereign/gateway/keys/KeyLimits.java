package ai.sovereign.gateway.keys;

import io.micronaut.core.annotation.Nullable;

/**
 * The limits of one key; null means unlimited, except {@code maxPriority}, where null means the role's default (see
 * {@link #priorityCap}).
 */
public record KeyLimits(
        @Nullable Integer rpm,
        @Nullable Integer tpm,
        @Nullable Long monthlyTokenBudget,
        @Nullable Integer maxConcurrent,
        @Nullable Integer maxPriority) {

    public static final KeyLimits NONE = new KeyLimits(null, null, null, null, null);

    /** The highest router priority (0-9) the key's requests get: its own, or 9 for admin keys and 0 for the others. */
    public int priorityCap(ai.sovereign.runtime.security.Role role) {
        if (maxPriority != null) {
            return maxPriority;
        }
        return role == ai.sovereign.runtime.security.Role.ADMIN ? 9 : 0;
    }
}
