package ai.sovereign.ingestion.pipeline;

import java.util.concurrent.TimeUnit;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.IngestionJob;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.kafka.EventPublisher;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/** Puts an ingestion job on {@code ingestion.jobs.v1} and waits for the broker's acknowledgement. */
@Singleton
public class JobPublisher {

    private final EventPublisher events;

    public JobPublisher(EventPublisher events) {
        this.events = events;
    }

    public void publish(IngestionJob job) {
        try {
            events.publish(CloudEvent.of("/ingestion", job.sourceId(), job)).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted while queueing the job", "queue_unavailable", null);
        } catch (Exception e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the ingestion queue (Kafka) did not accept the job: "
                    + e.getMessage() + "; retry later", "queue_unavailable", null);
        }
    }
}
