package ai.sovereign.router.commands;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.events.Topics;
import ai.sovereign.runtime.kafka.KafkaSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code fleet.command-results.v1} and records each answer in the {@link CommandStore}. Replicas share one
 * consumer group and offsets are committed only once the answers are stored, so an answer that arrives while the
 * router is down is recorded when it is back; while PostgreSQL is unreachable the listener retries the same answer.
 * A malformed event is logged and skipped.
 */
@Context
@Requires(property = "router.commands.enabled", notEquals = "false")
public class CommandResultListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommandResultListener.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final CommandStore store;
    private final CommandMetrics metrics;
    private final EventCodec codec = new EventCodec();
    private final Thread thread;
    private volatile boolean running = true;

    public CommandResultListener(KafkaSettings kafka, CommandSettings settings, CommandStore store, CommandMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.resultsGroup());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.thread = Thread.ofVirtual().name("router-command-results").start(this::run);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.FLEET_COMMAND_RESULTS));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty() && recordAll(records)) {
                    consumer.commitAsync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the fleet.command-results.v1 listener stopped: {}", e.getMessage(), e);
        } finally {
            try {
                consumer.commitSync(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("final offset commit failed: {}", e.toString());
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** False when storing failed: the consumer is rewound to the answer that failed, to read it again. */
    private boolean recordAll(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            FleetCommandResult result;
            try {
                CloudEvent<FleetCommandResult> event = codec.decode(record.value(), FleetCommandResult.class);
                result = event.data();
            } catch (RuntimeException e) {
                LOG.warn("skipped a fleet.command-results.v1 event at offset {}: {}", record.offset(), e.getMessage());
                continue;
            }
            try {
                store.apply(result).ifPresentOrElse(command -> {
                    if (command.status().isTerminal()) {
                        metrics.finished(command.action(), command.status());
                    }
                }, () -> LOG.debug("result {} for command {} not recorded (unknown here or already finished)",
                        result.status(), result.commandId()));
            } catch (IllegalStateException e) {
                LOG.warn("could not record result {} of command {}; retrying in {}: {}", result.status(),
                        result.commandId(), RETRY, e.getMessage());
                rewind(records, record);
                pause();
                return false;
            }
        }
        return true;
    }

    private void rewind(ConsumerRecords<String, byte[]> records, ConsumerRecord<String, byte[]> failed) {
        // the failed record's partition goes back to it; the other partitions go back to their batch start
        for (TopicPartition partition : records.partitions()) {
            long offset = partition.partition() == failed.partition() ? failed.offset()
                    : records.records(partition).getFirst().offset();
            consumer.seek(partition, offset);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY); // backoff while PostgreSQL is away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
