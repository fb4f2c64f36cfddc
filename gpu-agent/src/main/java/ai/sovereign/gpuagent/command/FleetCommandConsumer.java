package ai.sovereign.gpuagent.command;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventFormatException;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.Topics;
import ai.sovereign.gpuagent.AgentSettings;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code fleet.commands.v1} in this host's own consumer group and hands the commands addressed to this host to
 * the {@link CommandRunner}; it only decodes and filters. An event that does not decode is logged and skipped, and if
 * it still names this host and a command id (e.g. an action this agent does not know) it is refused with the reason.
 * A new group starts at the earliest offset; {@code gpu-agent.commands.max-age} keeps old commands from running. The
 * group is {@code gpu-agent-<host-id>}, so every host reads every command; offsets are committed after each batch is
 * handed over.
 */
@KafkaListener(
        // one group per host; not configurable: the former ${gpu-agent.commands.group-id:gpu-agent-${...}} nested a
        // placeholder in a default, which is not resolved, so every agent shared one literal group and read only
        // some hosts' commands
        groupId = "gpu-agent-${gpu-agent.host-id}",
        clientId = "${micronaut.application.name:gpu-agent}-commands-${gpu-agent.host-id}",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        batch = true,
        pollTimeout = "5s",
        properties = {
            @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "100"),
            // the broker answers a fetch as soon as a command arrives; a long wait only saves idle round trips
            @Property(name = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, value = "5000"),
            @Property(name = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, value = "10000")
        })
@Requires(property = "gpu-agent.commands.enabled", notEquals = "false")
public final class FleetCommandConsumer implements ConsumerRebalanceListener, ConsumerAware<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(FleetCommandConsumer.class);

    private final String hostId;
    private final CommandRunner runner;
    private final EventCodec codec = new EventCodec();
    private final JsonMapper json;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean consuming;
    private volatile String groupId = "";
    private volatile Instant lastBatch;

    public FleetCommandConsumer(AgentSettings agent, CommandRunner runner, JsonMapper json) {
        this.hostId = agent.hostId();
        this.runner = runner;
        this.json = json;
    }

    @Topic(Topics.FLEET_COMMANDS)
    void receive(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            handle(record);
        }
        lastBatch = Instant.now();
    }

    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        consuming = consumer != null;
        if (consumer != null) {
            groupId = consumer.groupMetadata().groupId();
        }
        LOG.info("reading {} for host {}", Topics.FLEET_COMMANDS, hostId);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assigned.addAll(partitions);
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null && !record.key().equals(hostId)) {
            return;
        }
        CloudEvent<FleetCommand> event;
        try {
            event = codec.decode(record.value(), FleetCommand.class);
        } catch (EventFormatException e) {
            refuseIfOurs(record, e);
            return;
        }
        FleetCommand command = event.data();
        if (hostId.equals(command.hostId())) {
            runner.submit(command);
        }
    }

    private void refuseIfOurs(ConsumerRecord<String, byte[]> record, EventFormatException e) {
        try {
            JsonNode data = json.readTree(record.value()).path("data");
            String commandId = data.path("commandId").asString("");
            if (hostId.equals(data.path("hostId").asString("")) && !commandId.isEmpty()) {
                String action = data.path("action").asString("");
                String why = isKnownAction(action)
                        ? "command is malformed: " + e.getMessage()
                        : "unknown command \"" + action + "\"; this agent knows PULL, DELETE, PRELOAD, UNLOAD";
                runner.refuseUnreadable(commandId, why);
                return;
            }
        } catch (RuntimeException notJson) {
            // fall through to the log line
        }
        LOG.warn(
                "skipping unreadable event at {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
    }

    private static boolean isKnownAction(String action) {
        for (FleetCommand.Action known : FleetCommand.Action.values()) {
            if (known.name().equalsIgnoreCase(action)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the consumer runs, its partitions and when it last handed over a batch; for {@code /health}. */
    public Map<String, Object> state() {
        return Map.of(
                "running",
                consuming,
                "group",
                groupId,
                "assignedPartitions",
                assigned.size(),
                "lastBatch",
                String.valueOf(lastBatch));
    }

    /** Healthy once micronaut-kafka has given this listener its consumer. */
    public boolean isHealthy() {
        return consuming;
    }
}
