package ai.sovereign.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sovereign.events.KafkaAccess;
import ai.sovereign.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The broker the platform runs on (here the shared test broker, configured as the all-in-one's) refuses what
 * {@link KafkaAccess} does not grant: a client without credentials, a wrong password, a principal writing a topic it
 * does not own or reading through another service's consumer group.
 */
class KafkaAccessTest {

    @Test
    void aProducerWithoutCredentialsGetsNothingWritten() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafka().bootstrapServers());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            ExecutionException error = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(Topics.GPU_TELEMETRY, "host-x", "{}"))
                            .get());
            // the SASL listener never answers a client that does not authenticate: no metadata, no write
            assertInstanceOf(TimeoutException.class, error.getCause(), error.toString());
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        Map<String, Object> settings = SharedInfrastructure.kafka().clientSettings("gpu-agent");
        settings.put(
                "sasl.jaas.config",
                KafkaCredentials.jaas(
                        "org.apache.kafka.common.security.scram.ScramLoginModule", "gpu-agent", "guessed-password"));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            ExecutionException error = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(Topics.GPU_TELEMETRY, "host-x", "{}"))
                            .get());
            assertInstanceOf(SaslAuthenticationException.class, error.getCause(), error.toString());
        }
    }

    @Test
    void theIngestionPrincipalCannotWriteGpuTelemetryWhichTheGpuAgentsCan() throws Exception {
        try (var ingestion = producer("ingestion")) {
            ExecutionException error = assertThrows(
                    ExecutionException.class,
                    () -> ingestion
                            .send(new ProducerRecord<>(Topics.GPU_TELEMETRY, "attacker-host", "{}"))
                            .get());
            assertInstanceOf(TopicAuthorizationException.class, error.getCause(), error.toString());
        }
        try (var agent = producer("gpu-agent")) {
            agent.send(new ProducerRecord<>(Topics.GPU_TELEMETRY, "host-1", "{}"))
                    .get();
        }
    }

    @Test
    void onlyTheRouterWritesFleetCommandsAndLlmUsage() throws Exception {
        for (String principal : List.of("gateway", "gpu-agent", "ingestion", "audit-service", "backup-service")) {
            try (var producer = producer(principal)) {
                for (String topic : List.of(Topics.FLEET_COMMANDS, Topics.LLM_USAGE)) {
                    ExecutionException error = assertThrows(
                            ExecutionException.class,
                            () -> producer.send(new ProducerRecord<>(topic, "k", "{}"))
                                    .get(),
                            principal + " wrote " + topic);
                    assertInstanceOf(TopicAuthorizationException.class, error.getCause(), error.toString());
                }
            }
        }
        try (var router = producer("router")) {
            router.send(new ProducerRecord<>(Topics.FLEET_COMMANDS, "host-1", "{}"))
                    .get();
            router.send(new ProducerRecord<>(Topics.LLM_USAGE, "key-1", "{}")).get();
        }
    }

    @Test
    void aServiceReadsOnlyThroughItsOwnConsumerGroups() {
        try (var consumer = consumer("ingestion", "audit-service-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.INGESTION_JOBS));
            assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        try (var consumer = consumer("gpu-agent", "gpu-agent-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
    }

    @Test
    void everyServicePrincipalHasItsOwnPassword() {
        KafkaCredentials credentials = SharedInfrastructure.kafka().credentials();
        assertEquals(
                KafkaAccess.servicePrincipals().size() + 1,
                credentials.all().values().stream().distinct().count());
    }

    private static KafkaProducer<String, String> producer(String principal) {
        Map<String, Object> settings = SharedInfrastructure.kafka().clientSettings(principal);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String principal, String group) {
        Map<String, Object> settings = SharedInfrastructure.kafka().clientSettings(principal);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }
}
