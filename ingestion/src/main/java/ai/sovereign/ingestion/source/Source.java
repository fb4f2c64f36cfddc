package ai.sovereign.ingestion.source;

import java.time.Instant;
import java.util.UUID;

/** One uploaded file of a tenant and its pipeline state (a row of {@code ingestion.sources}). */
public record Source(
        UUID id,
        String tenant,
        String name,
        String contentType,
        String contentHash,
        long sizeBytes,
        SourceStatus status,
        String failureReason,
        int chunkCount,
        int entityCount,
        String storagePath,
        Instant createdAt,
        Instant updatedAt) {}
