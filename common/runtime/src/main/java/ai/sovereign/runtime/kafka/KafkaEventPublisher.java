package ai.sovereign.runtime.kafka;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.runtime.outbox.Outbox;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.context.annotation.Context;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@link EventPublisher} on the service's events producer, encoding with the shared {@link EventCodec}. The producer is
 * micronaut-kafka's, id {@value #PRODUCER} ({@code @KafkaClient} injection): configured by {@code kafka.*} (every
 * client) and {@code kafka.producers.events.*}, closed by the module at shutdown, its client metrics in {@code /metrics}.
 *
 * <p>Defaults ({@code PlatformDefaults}): idempotent with {@code acks=all}, as the design requires of every producer;
 * {@code linger.ms} 5; {@code batch.size} 256 KiB per partition batch. Kafka's own default batch size (16 KiB, about 20
 * CloudEvents of ~0.8 KB) capped the router's usage records at one 16 KiB produce request each per ~20 records when
 * many were sent at once (a produce request per ~1.2 ms at 8 500 records/s, each a broker request to handle); a bigger
 * cap lets one produce request carry all that gathered, and costs memory only while that much is waiting.
 */
@Context // the producer exists from the start: its metrics are there, and the first event waits for no set-up
public class KafkaEventPublisher implements EventPublisher {

    /** The events producer's id: its settings under {@code kafka.producers}, shared by every injection point. */
    public static final String PRODUCER = "events";

    private final Producer<String, byte[]> producer;
    private final Optional<Outbox> outbox;
    private final EventCodec codec;

    public KafkaEventPublisher(@KafkaClient(PRODUCER) Producer<String, byte[]> producer, Optional<Outbox> outbox) {
        this.producer = producer;
        this.outbox = outbox;
        this.codec = new EventCodec();
    }

    /**
     * With the outbox on ({@code sovereign.outbox.directory}), completes when the event is in the journal on disk
     * (the relay sends it on, after an outage or a restart too) and fails when the outbox is full; otherwise, and for
     * the outbox's direct topics, when the broker has acknowledged it.
     */
    @Override
    public CompletableFuture<Void> publish(CloudEvent<?> event) {
        if (outbox.isPresent() && outbox.get().journals(event.topic())) {
            try {
                return outbox.get().append(event.topic(), event.partitionKey(), codec.encode(event));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
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
