package ai.sovereign.router.commands;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.events.Topics;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code fleet.command-results.v1} and records each answer in the {@link CommandStore}. Replicas share one
 * consumer group ({@code router.commands.results-group}) and offsets are committed only once the answers are stored,
 * so an answer that arrives while the router is down is recorded when it is back; while PostgreSQL is unreachable the
 * listener seeks back to the answer it could not store and reads it again after a second. A malformed event is logged
 * and skipped.
 */
@KafkaListener(
        groupId = "${router.commands.results-group:router-command-results}",
        clientId = "${micronaut.application.name:router}-command-results",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED,
        batch = true,
        pollTimeout = "500ms")
@Requires(property = "router.commands.enabled", notEquals = "false")
public class CommandResultListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommandResultListener.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final CommandStore store;
    private final CommandMetrics metrics;
    private final EventCodec codec = new EventCodec();

    public CommandResultListener(CommandStore store, CommandMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Topic(Topics.FLEET_COMMAND_RESULTS)
    void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<String, byte[]> consumer) {
        if (recordAll(records, consumer)) {
            consumer.commitAsync();
        }
    }

    /** False when storing failed: the consumer is rewound to the answer that failed, to read it again. */
    private boolean recordAll(List<ConsumerRecord<String, byte[]>> records, Consumer<String, byte[]> consumer) {
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
                store.apply(result)
                        .ifPresentOrElse(
                                command -> {
                                    if (command.status().isTerminal()) {
                                        metrics.finished(command.action(), command.status());
                                    }
                                },
                                () -> LOG.debug(
                                        "result {} for command {} not recorded (unknown here or already finished)",
                                        result.status(),
                                        result.commandId()));
            } catch (DataAccessException e) {
                LOG.warn(
                        "could not record result {} of command {}; retrying in {}: {}",
                        result.status(),
                        result.commandId(),
                        RETRY,
                        e.getMessage());
                rewind(records, record, consumer);
                backOff();
                return false;
            }
        }
        return true;
    }

    private static void rewind(
            List<ConsumerRecord<String, byte[]>> records,
            ConsumerRecord<String, byte[]> failed,
            Consumer<String, byte[]> consumer) {
        // the failed record's partition goes back to it; the other partitions go back to their batch start
        Map<Integer, Long> firstOffsets = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            firstOffsets.putIfAbsent(record.partition(), record.offset());
        }
        firstOffsets.put(failed.partition(), failed.offset());
        firstOffsets.forEach(
                (partition, offset) -> consumer.seek(new TopicPartition(failed.topic(), partition), offset));
    }

    private static void backOff() {
        try {
            Thread.sleep(RETRY); // backoff while PostgreSQL is away, on the listener's own thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
