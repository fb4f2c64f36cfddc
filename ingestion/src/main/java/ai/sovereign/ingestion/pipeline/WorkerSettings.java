package ai.sovereign.ingestion.pipeline;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code ingestion.worker.enabled} (default true), {@code ingestion.worker.concurrency} (jobs in flight at once, default 32: their chunks share the model's batches and
 * their writes are group-committed), {@code ingestion.worker.parse-concurrency} (documents parsed at once, default 0 =
 * the number of CPU cores), {@code ingestion.worker.partitions} (partitions the topic is created with when missing,
 * default 6). The consumer's own settings are read by its {@code @KafkaListener}: {@code ingestion.worker.group-id}
 * (default {@code ingestion-workers}) and {@code ingestion.worker.max-poll-records} (default 128, four batches of the
 * default concurrency: a poll waits for free slots, so more only holds records longer).
 */
@ConfigurationProperties("ingestion.worker")
public record WorkerSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "32") int concurrency,
        @Bindable(defaultValue = "6") int partitions,
        @Bindable(defaultValue = "0") int parseConcurrency) {

    public WorkerSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("ingestion.worker.concurrency must be >= 1 (got " + concurrency + ")");
        }
        if (parseConcurrency < 0) {
            throw new IllegalArgumentException(
                    "ingestion.worker.parse-concurrency must be >= 0 (got " + parseConcurrency + ")");
        }
    }

    /** Parse permits: the configured number, or the CPU cores when 0. */
    public int effectiveParseConcurrency() {
        return parseConcurrency > 0 ? parseConcurrency : Runtime.getRuntime().availableProcessors();
    }
}
