package ai.sovereign.audit.ingest;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;

/** Where the consumer stands, for {@code /health}. */
public record IngestStatus(boolean running, @Nullable Instant lastBatchAt, int consecutiveFailures,
                           @Nullable String lastError) {
}
