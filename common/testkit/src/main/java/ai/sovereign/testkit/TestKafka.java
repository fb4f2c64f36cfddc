package ai.sovereign.testkit;

import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients on the shared test broker, logged in as the operator (a super user), for tests that publish
 * events as another service would or read what a service published: string keys, byte-array values (the events' wire
 * form).
 */
public final class TestKafka {

    private TestKafka() {}

    /** A producer on the shared broker. */
    public static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.putAll(SharedInfrastructure.kafkaOperatorSettings());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A consumer in a fresh group named after {@code groupPrefix}, reading from the earliest offset. */
    public static KafkaConsumer<String, byte[]> consumer(String groupPrefix) {
        Properties props = new Properties();
        props.putAll(SharedInfrastructure.kafkaOperatorSettings());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
