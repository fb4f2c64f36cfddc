package ai.sovereign.ingestion.pipeline;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code ingestion.worker.enabled} (default true), {@code ingestion.worker.group-id} (default {@code ingestion-workers}),
 * {@code ingestion.worker.concurrency} (jobs processed at once, default 2), {@code ingestion.worker.partitions}
 * (partitions the topic is created with when missing, default 6).
 */
@ConfigurationProperties("ingestion.worker")
public record WorkerSettings(@Bindable(defaultValue = "true") boolean enabled,
                             @Bindable(defaultValue = "ingestion-workers") String groupId,
                             @Bindable(defaultValue = "2") int concurrency,
                             @Bindable(defaultValue = "6") int partitions) {

    public WorkerSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("ingestion.worker.concurrency must be >= 1 (got " + concurrency + ")");
        }
    }
}
