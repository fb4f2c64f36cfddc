package ai.sovereign.runtime.kafka;

import ai.sovereign.events.CloudEvent;
import java.util.concurrent.CompletableFuture;

/** Sends events to their topics; domain code depends on this, never on a Kafka client. */
public interface EventPublisher {

    /**
     * Sends {@code event} to its topic, keyed by its partition key (tenant, key id, host id, source id), and
     * completes when it cannot be lost any more: when it is in the service's outbox journal on disk (with {@code
     * sovereign.outbox.directory} set), otherwise when the broker has acknowledged it (acks=all).
     */
    CompletableFuture<Void> publish(CloudEvent<?> event);
}
