package ai.sovereign.runtime.kafka;

import java.util.concurrent.CompletableFuture;

/** Sends an already encoded event to a topic; domain code depends on this, never on a Kafka client. */
public interface EventPublisher {

    /** Completes when the broker has acknowledged the record (acks=all). */
    CompletableFuture<Void> publish(String topic, String key, byte[] value);
}
