package ai.sovereign.gateway.support;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.Topics;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads {@code audit.events.v1} from the shared broker, from the beginning, until an expected event shows up. */
public final class AuditEvents {

    private AuditEvents() {}

    public static AuditEvent awaitEvent(Predicate<AuditEvent> match) {
        EventCodec codec = new EventCodec();
        List<AuditEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CloudEvent<AuditEvent> event = codec.decode(record.value(), AuditEvent.class);
                    seen.add(event.data());
                }
                return seen.stream().anyMatch(match);
            });
        }
        return seen.stream().filter(match).findFirst().orElseThrow();
    }

    /**
     * Every event matching {@code match}, read from the beginning until one matching {@code end} (sent after them) has
     * arrived and a further poll brings nothing new.
     */
    public static List<AuditEvent> allUntil(Predicate<AuditEvent> match, Predicate<AuditEvent> end) {
        EventCodec codec = new EventCodec();
        List<AuditEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning()) {
            boolean[] ended = {false};
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    seen.add(codec.decode(record.value(), AuditEvent.class).data());
                }
                boolean drained = ended[0] && records.isEmpty();
                ended[0] = ended[0] || seen.stream().anyMatch(end);
                return drained;
            });
        }
        return seen.stream().filter(match).toList();
    }

    /** A consumer of the audit topic in a group of its own, reading from the first record. */
    private static KafkaConsumer<String, byte[]> fromTheBeginning() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "gateway-test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
        return consumer;
    }
}
