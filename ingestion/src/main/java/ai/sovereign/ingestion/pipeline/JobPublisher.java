package ai.sovereign.ingestion.pipeline;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.IngestionJob;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.kafka.EventPublisher;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Puts ingestion jobs on {@code ingestion.jobs.v1} and waits for the broker's acknowledgement. */
@Singleton
public class JobPublisher {

    private final EventPublisher events;

    public JobPublisher(EventPublisher events) {
        this.events = events;
    }

    public void publish(IngestionJob job) {
        publishAll(List.of(job));
    }

    /**
     * Sends every job before waiting for any acknowledgement (the producer batches them: one round trip per partition
     * instead of one per file), then returns once the broker has acknowledged all of them.
     */
    public void publishAll(List<IngestionJob> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        try {
            CompletableFuture<?>[] sent = jobs.stream()
                    .map(job -> events.publish(CloudEvent.of("/ingestion", job.sourceId(), job)))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(sent).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "interrupted while queueing the job", "queue_unavailable", null);
        } catch (Exception e) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "the ingestion queue (Kafka) did not accept the job: " + e.getMessage() + "; retry later",
                    "queue_unavailable",
                    null);
        }
    }
}
