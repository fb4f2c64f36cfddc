package ai.sovereign.runtime.kafka;

import java.util.concurrent.CompletableFuture;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@link EventPublisher} on the service's idempotent Kafka producer, encoding with the shared {@link EventCodec}. */
@Singleton
public class KafkaEventPublisher implements EventPublisher {

    private final Producer<String, byte[]> producer;
    private final EventCodec codec;

    public KafkaEventPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
        this.codec = new EventCodec();
    }

    @Override
    public CompletableFuture<Void> publish(CloudEvent<?> event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            byte[] value = codec.encode(event);
            producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }
}
