package ai.sovereign.audit.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * The usage of one group: requests, tokens, errors ({@code ERROR} or {@code REJECTED} records), cancellations, and the
 * 95th percentile of the request duration (milliseconds, interpolated).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record UsageTotals(
        String group,
        long requests,
        long promptTokens,
        long completionTokens,
        long totalTokens,
        long errors,
        long cancelled,
        @Nullable Double p95LatencyMs) {}
