package ai.sovereign.audit.ingest;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** Where the consumer stands, for {@code /health}. */
public record IngestStatus(
        boolean running,
        @Nullable Instant lastBatchAt,
        int consecutiveFailures,
        @Nullable String lastError) {}
