package ai.sovereign.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void recordProducedOnTheRealBrokerIsConsumedWithItsKeyAndValue() throws Exception {
        String topic = SharedInfrastructure.PRIVATE_TOPIC_PREFIX + "testkit-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<String, String>(
                SharedInfrastructure.kafkaOperatorSettings(
                        Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "tenant-a", "{\"hello\":\"kafka\"}"))
                    .get();
        }
        try (var consumer = new KafkaConsumer<String, String>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "testkit-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            assertEquals(1, received.size());
            assertEquals("tenant-a", received.get(0).key());
            assertEquals("{\"hello\":\"kafka\"}", received.get(0).value());
        }
        assertEquals(1, SharedInfrastructure.starts(SharedInfrastructure.Server.KAFKA));
    }
}
