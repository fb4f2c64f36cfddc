package ai.sovereign.ingestion.pipeline;

import ai.sovereign.events.IngestionJob;
import ai.sovereign.ingestion.source.SourceProcessing;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;

/** The sources API's view of the pipeline: jobs go to {@code ingestion.jobs.v1}, removals to the pipeline. */
@Singleton
class PipelineSourceProcessing implements SourceProcessing {

    private final JobPublisher jobs;
    private final IngestionPipeline pipeline;

    PipelineSourceProcessing(JobPublisher jobs, IngestionPipeline pipeline) {
        this.jobs = jobs;
        this.pipeline = pipeline;
    }

    @Override
    public void queue(List<IngestionJob> queued) {
        jobs.publishAll(queued);
    }

    @Override
    public void removeStored(String tenant, String sourceId, @Nullable String storagePath) {
        pipeline.removeStored(tenant, sourceId, storagePath);
    }
}
