package ai.sovereign.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.Topics;
import ai.sovereign.runtime.kafka.EventPublisher;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPublisherTest implements TestPropertyProvider {

    @Inject
    EventPublisher publisher;

    @Override
    public Map<String, String> getProperties() {
        return SharedInfrastructure.kafkaProperties("gateway");
    }

    @Test
    void publishedEventArrivesOnItsTopicKeyedByTenantAndDecodesToTheSameEvent() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID();
        CloudEvent<AuditEvent> event = CloudEvent.of(
                "/runtime-probe",
                "key-1",
                new AuditEvent(
                        "key-1",
                        AuditEvent.ActorType.API_KEY,
                        tenant,
                        "key.create",
                        "api_key",
                        "key-2",
                        AuditEvent.Outcome.SUCCESS,
                        null,
                        "req-1",
                        "127.0.0.1",
                        Map.of("role", "user")));
        publisher.publish(event).get();

        try (var consumer = new KafkaConsumer<String, byte[]>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "publisher-test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
            List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mine.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        mine.add(r);
                    }
                });
            }
            assertEquals(1, mine.size());
            assertEquals(event, new EventCodec().decode(mine.get(0).value(), AuditEvent.class));
        }
    }
}
