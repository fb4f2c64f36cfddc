package ai.sovereign.ingestion.source;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.time.Instant;

/** A source as the API shows it. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record SourceView(
        String id,
        String name,
        String contentType,
        String status,
        @Nullable String reason,
        int chunks,
        int entities,
        long bytes,
        Instant createdAt,
        Instant updatedAt) {

    public static SourceView of(Source s) {
        return new SourceView(
                s.id().toString(),
                s.name(),
                s.contentType(),
                s.status().wireName(),
                s.failureReason(),
                s.chunkCount(),
                s.entityCount(),
                s.sizeBytes(),
                s.createdAt(),
                s.updatedAt());
    }
}
