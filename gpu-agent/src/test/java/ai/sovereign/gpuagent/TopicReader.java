package ai.sovereign.gpuagent;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.CloudEventDeserializer;
import ai.sovereign.events.EventPayload;
import ai.sovereign.testkit.SharedInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads one topic of the shared Kafka from the beginning, keeping the records whose key is {@code key}. */
public final class TopicReader<T extends EventPayload> implements AutoCloseable {

    private final KafkaConsumer<String, CloudEvent<T>> consumer;
    private final String key;
    private final List<ConsumerRecord<String, CloudEvent<T>>> seen = new ArrayList<>();

    public TopicReader(String topic, Class<T> payload, String key) {
        this.key = key;
        this.consumer = new KafkaConsumer<>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                CloudEventDeserializer.forPayload(payload));
        consumer.subscribe(List.of(topic));
    }

    /** Polls until a record for the key matches {@code condition} (or the deadline passes) and returns it. */
    public ConsumerRecord<String, CloudEvent<T>> awaitRecord(Duration timeout, Predicate<T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, CloudEvent<T>> record : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(record.key())) {
                    seen.add(record);
                }
            }
            for (; checked < seen.size(); checked++) {
                if (condition.test(seen.get(checked).value().data())) {
                    return seen.get(checked);
                }
            }
        }
        throw new AssertionError("no record for key " + key + " matched within " + timeout + "; saw "
                + seen.stream().map(r -> r.value().data().toString()).toList());
    }

    /** Keeps polling for {@code duration}, collecting what arrives; for checking that something does not come. */
    public void pollFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, CloudEvent<T>> record : consumer.poll(Duration.ofMillis(100))) {
                if (key.equals(record.key())) {
                    seen.add(record);
                }
            }
        }
    }

    /** Every record for the key seen so far. */
    public List<T> seen() {
        return seen.stream().map(r -> r.value().data()).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
