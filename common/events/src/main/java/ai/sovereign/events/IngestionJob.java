package ai.sovereign.events;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Work for the ingestion workers: ingest a staged upload, or delete a source. Topic {@value Topics#INGESTION_JOBS},
 * keyed by source id so that the jobs of one source run in order.
 *
 * <p>The file fields are required when {@code action} is {@code INGEST} and may be null for {@code DELETE}; the
 * constructor enforces that, and the codec reports it as e.g. {@code data.storagePath: required when action is INGEST}.
 *
 * @param jobId       unique id of the job; workers deduplicate on it
 * @param sourceId    the document source (one uploaded file and its chunks)
 * @param tenant      the owning tenant
 * @param action      ingest or delete
 * @param fileName    original file name (INGEST)
 * @param contentType media type of the upload, e.g. {@code application/pdf} (INGEST)
 * @param contentHash SHA-256 of the raw bytes, 64 lowercase hex characters (INGEST)
 * @param sizeBytes   size of the raw bytes (INGEST)
 * @param storagePath where the raw bytes were staged for the worker (INGEST)
 * @param requestedBy who asked (key id or operator)
 * @param requestedAt when it was asked
 */
public record IngestionJob(
        String jobId,
        String sourceId,
        String tenant,
        Action action,
        @Nullable String fileName,
        @Nullable String contentType,
        @Nullable String contentHash,
        @Nullable Long sizeBytes,
        @Nullable String storagePath,
        String requestedBy,
        Instant requestedAt)
        implements EventPayload {

    public static final String TYPE = "ai.sovereign.ingestion.job.v1";

    private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Cross-field rules; messages start with the component name so the codec can prefix the path. */
    public IngestionJob {
        if (action == Action.INGEST) {
            requireForIngest(fileName, "fileName");
            requireForIngest(contentType, "contentType");
            requireForIngest(contentHash, "contentHash");
            requireForIngest(sizeBytes, "sizeBytes");
            requireForIngest(storagePath, "storagePath");
        }
        if (contentHash != null && !SHA_256_HEX.matcher(contentHash).matches()) {
            throw new IllegalArgumentException(
                    "contentHash: expected 64 lowercase hex characters (SHA-256), got \"" + contentHash + "\"");
        }
        if (sizeBytes != null && sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes: must be >= 0, got " + sizeBytes);
        }
    }

    private static void requireForIngest(Object value, String component) {
        if (value == null) {
            throw new IllegalArgumentException(component + ": required when action is INGEST");
        }
    }

    @Override
    public String partitionKey() {
        return sourceId;
    }

    public enum Action {
        INGEST,
        DELETE
    }
}
