package ai.sovereign.audit.support;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends events (encoded by the shared codec) and raw bytes to the shared broker, keyed as the platform keys them. */
public final class TestProducer implements AutoCloseable {

    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<byte[], byte[]> producer;

    public TestProducer() {
        producer = new KafkaProducer<>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        512 * 1024)),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    public void send(String topic, CloudEvent<?> event) {
        send(topic, event.partitionKey(), codec.encode(event));
    }

    public void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Sends to an explicit partition (a chain). */
    public void send(String topic, int partition, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value));
    }

    public byte[] encode(CloudEvent<?> event) {
        return codec.encode(event);
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
