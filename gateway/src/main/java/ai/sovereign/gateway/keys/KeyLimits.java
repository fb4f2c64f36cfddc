package ai.sovereign.gateway.keys;

import io.micronaut.core.annotation.Nullable;

/** The limits of one key; null means unlimited. */
public record KeyLimits(
        @Nullable Integer rpm,
        @Nullable Integer tpm,
        @Nullable Long monthlyTokenBudget,
        @Nullable Integer maxConcurrent) {

    public static final KeyLimits NONE = new KeyLimits(null, null, null, null);
}
