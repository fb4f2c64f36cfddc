package ai.sovereign.ingestion.source;

import java.util.UUID;

/** What became of one uploaded file: its source id and whether identical content was already there. */
public record UploadResult(UUID id, String name, SourceStatus status, boolean deduplicated) {}
