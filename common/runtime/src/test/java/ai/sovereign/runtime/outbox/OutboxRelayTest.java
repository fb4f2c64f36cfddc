package ai.sovereign.runtime.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.Topics;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.KafkaBroker;
import ai.sovereign.testkit.KafkaCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox against a broker of its own that is stopped: events published while it is down are on disk at once,
 * survive the service's crash, and all reach Kafka after it returns.
 */
class OutboxRelayTest {

    private static final String TOPIC = Topics.LLM_USAGE;

    @TempDir
    Path dir;

    @Test
    void eventsJournaledWhileKafkaIsDownArriveAfterItReturnsEvenAcrossARestart() throws Exception {
        KafkaCredentials credentials = KafkaCredentials.generate();
        int port = FreePorts.next();
        Path outbox = dir.resolve("outbox");
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), port, credentials, List.of());
        try {
            try (OutboxJournal journal = OutboxJournal.open(outbox, 16 << 20, 1 << 20);
                    KafkaProducer<String, byte[]> producer = producer(broker);
                    OutboxRelay relay = new OutboxRelay(journal, producer, Duration.ofSeconds(5))) {
                append(journal, 0, 50);
                await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingEvents() == 0);

                broker.close();
                broker = null;
                append(journal, 50, 150); // each completes on disk while no broker answers
                assertEquals(100, journal.pendingEvents());
                assertTrue(journal.oldestPendingAgeSeconds() >= 0);
            } // the process "crashes" with 100 events not relayed

            broker = KafkaBroker.start(dir.resolve("kafka"), port, credentials, List.of());
            try (OutboxJournal journal = OutboxJournal.open(outbox, 16 << 20, 1 << 20);
                    KafkaProducer<String, byte[]> producer = producer(broker);
                    OutboxRelay relay = new OutboxRelay(journal, producer, Duration.ofSeconds(5))) {
                assertEquals(100, journal.pendingEvents(), "the restarted service finds what was left");
                await().atMost(Duration.ofSeconds(60)).until(() -> journal.pendingEvents() == 0);
            }

            Set<String> received = new HashSet<>();
            try (KafkaConsumer<String, byte[]> consumer = consumer(broker)) {
                consumer.subscribe(List.of(TOPIC));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        String value = new String(r.value(), StandardCharsets.UTF_8);
                        received.add(value);
                    });
                    return received.size() >= 150;
                });
            }
            for (int i = 0; i < 150; i++) {
                assertTrue(received.contains("event-" + i), "event-" + i + " is missing");
            }
            assertEquals(150, received.size());
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void anEventTheBrokerRefusesForGoodIsSetAsideAndTheRestGoOn() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0, KafkaCredentials.generate(), List.of());
                OutboxJournal journal = OutboxJournal.open(dir.resolve("outbox"), 16 << 20, 4 << 20);
                KafkaProducer<String, byte[]> producer = producer(broker);
                OutboxRelay relay = new OutboxRelay(journal, producer, Duration.ofSeconds(5))) {
            journal.append(TOPIC, "k", "before".getBytes(StandardCharsets.UTF_8))
                    .join();
            journal.append(TOPIC, "k", new byte[2 << 20]).join(); // over the producer's 1 MiB max.request.size
            journal.append(TOPIC, "k", "after".getBytes(StandardCharsets.UTF_8)).join();
            await().atMost(Duration.ofSeconds(30)).until(() -> journal.pendingEvents() == 0);
            assertEquals(1, journal.undeliverableEvents());
            try (var files = java.nio.file.Files.list(dir.resolve("outbox"))) {
                assertEquals(
                        1,
                        files.filter(f -> f.getFileName().toString().startsWith("undeliverable-"))
                                .count());
            }
            Set<String> received = new HashSet<>();
            try (KafkaConsumer<String, byte[]> consumer = consumer(broker)) {
                consumer.subscribe(List.of(TOPIC));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200))
                            .forEach(r -> received.add(new String(r.value(), StandardCharsets.UTF_8)));
                    return received.contains("after");
                });
            }
            assertTrue(received.contains("before"), received.toString());
        }
    }

    private static void append(OutboxJournal journal, int from, int to) {
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (int i = from; i < to; i++) {
            written.add(journal.append(TOPIC, "key-" + (i % 7), ("event-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
    }

    private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
        Map<String, Object> settings = new HashMap<>(broker.clientSettings("router"));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4000);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker) {
        Map<String, Object> settings = new HashMap<>(broker.adminSettings());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-relay-test");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
