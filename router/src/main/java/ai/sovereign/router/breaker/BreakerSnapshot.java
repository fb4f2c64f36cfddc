package ai.sovereign.router.breaker;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A breaker as an operator sees it.
 *
 * @param state          {@code closed}, {@code half-open} or {@code open}
 * @param manual         set by an operator; automatic transitions are suspended until a reset
 * @param windowRequests outcomes in the sliding window
 * @param windowFailures failures among them
 * @param failureRatio   failures / requests in the window (0 when empty)
 * @param openedAt       when it last left the closed state; null when it never did
 * @param timeOpenMs     total time spent open or half-open, the current spell included
 * @param timesOpened    how often it opened
 * @param requestsRefused requests that went elsewhere (or waited) because this breaker refused them
 * @param probesInFlight half-open probes running now
 * @param lastFailure    the last failure recorded, if any
 */
@Serdeable
public record BreakerSnapshot(
        String serverId,
        String model,
        String state,
        boolean manual,
        int windowRequests,
        int windowFailures,
        double failureRatio,
        @Nullable Instant openedAt,
        long timeOpenMs,
        long timesOpened,
        long requestsRefused,
        int probesInFlight,
        @Nullable String lastFailure) {}
