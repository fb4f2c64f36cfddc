package ai.sovereign.runtime.outbox;

import ai.sovereign.events.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code sovereign.outbox.*}: where the service journals the events it must not lose before they reach Kafka.
 *
 * @param directory    the journal's directory, one per service instance (on a volume that outlives the process);
 *                     the outbox is on when it is set
 * @param maxBytes     events not yet relayed that the journal holds at most; past it new events are refused
 * @param segmentBytes the size a journal file grows to before the next one is started
 * @param sendTimeout  how long the relay waits for Kafka to acknowledge a batch before it sends it again
 * @param directTopics topics whose events are replaceable and go straight to the producer (GPU telemetry)
 */
@ConfigurationProperties("sovereign.outbox")
public record OutboxSettings(
        Path directory,
        @Bindable(defaultValue = "268435456") long maxBytes,
        @Bindable(defaultValue = "16777216") long segmentBytes,
        @Bindable(defaultValue = "30s") Duration sendTimeout,
        @Bindable(defaultValue = Topics.GPU_TELEMETRY) List<String> directTopics) {

    public OutboxSettings {
        if (maxBytes < 1 << 20) {
            throw new IllegalArgumentException(
                    "sovereign.outbox.max-bytes must be at least 1 MiB (got " + maxBytes + ")");
        }
        if (segmentBytes < 64 * 1024 || segmentBytes > maxBytes) {
            throw new IllegalArgumentException(
                    "sovereign.outbox.segment-bytes must be 64 KiB .. max-bytes (got " + segmentBytes + ")");
        }
        directTopics = directTopics == null ? List.of() : List.copyOf(directTopics);
    }
}
