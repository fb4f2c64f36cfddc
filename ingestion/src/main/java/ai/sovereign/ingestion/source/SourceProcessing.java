package ai.sovereign.ingestion.source;

import ai.sovereign.events.IngestionJob;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * What the sources API needs from the processing pipeline, which itself reads and writes sources: queue jobs for
 * stored sources, and take back what was derived from a deleted one (vectors, graph, raw bytes).
 */
public interface SourceProcessing {

    /** Queues {@code jobs}, returning once the broker has them. */
    void queue(List<IngestionJob> jobs);

    /** Removes everything stored for a source (its raw bytes too when {@code storagePath} is given). */
    void removeStored(String tenant, String sourceId, @Nullable String storagePath);
}
