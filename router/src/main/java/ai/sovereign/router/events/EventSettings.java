package ai.sovereign.router.events;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the router hands its events to Kafka.
 *
 * @param batchInterval {@code router.events.batch-interval}: how long the sender gathers usage records and audit
 *                      events before handing them to the producer; 0 sends each at once (see {@link RouterEvents})
 */
@ConfigurationProperties("router.events")
public record EventSettings(
        @Bindable(defaultValue = "100ms") Duration batchInterval) {

    public EventSettings {
        if (batchInterval == null || batchInterval.isNegative()) {
            throw new IllegalArgumentException("router.events.batch-interval must be ≥ 0 (got " + batchInterval + ")");
        }
    }
}
