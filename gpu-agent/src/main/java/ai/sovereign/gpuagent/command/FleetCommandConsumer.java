package ai.sovereign.gpuagent.command;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventFormatException;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.Topics;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.runtime.kafka.KafkaSettings;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code fleet.commands.v1} in this host's own consumer group and hands the commands addressed to this host to
 * the {@link CommandRunner}; it only decodes and filters. An event that does not decode is logged and skipped, and if
 * it still names this host and a command id (e.g. an action this agent does not know) it is refused with the reason.
 * A new group starts at the earliest offset; {@code gpu-agent.commands.max-age} keeps old commands from running.
 */
@Singleton
public final class FleetCommandConsumer implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FleetCommandConsumer.class);
    /** Longest wait in one poll; commands are handed over as soon as they arrive, whatever this is. */
    private static final Duration POLL = Duration.ofSeconds(5);

    private final CommandSettings settings;
    private final KafkaSettings kafka;
    private final String hostId;
    private final CommandRunner runner;
    private final EventCodec codec = new EventCodec();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile Instant lastPoll;
    private volatile boolean running;

    public FleetCommandConsumer(CommandSettings settings, KafkaSettings kafka, AgentSettings agent, CommandRunner runner) {
        this.settings = settings;
        this.kafka = kafka;
        this.hostId = agent.hostId();
        this.runner = runner;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("fleet commands disabled (gpu-agent.commands.enabled=false)");
            return;
        }
        String group = settings.groupId() != null && !settings.groupId().isBlank() ? settings.groupId()
                : "gpu-agent-" + hostId;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, kafka.clientIdPrefix() + "-commands-" + hostId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // committed after each non-empty batch is handed over, not on a timer: nothing to do while idle
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100,
                // the broker answers a fetch as soon as a command arrives; a long wait only saves idle round trips
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) POLL.toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 10_000),
                new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = Thread.ofPlatform().name("fleet-commands").daemon(true).start(() -> loop(group));
    }

    private void loop(String group) {
        LOG.info("reading {} in group {} for host {}", Topics.FLEET_COMMANDS, group, hostId);
        try {
            consumer.subscribe(List.of(Topics.FLEET_COMMANDS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.addAll(partitions);
                }
            });
            while (running) {
                var records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record);
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
                lastPoll = Instant.now();
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("fleet command consumer stopped", e);
        } finally {
            try {
                consumer.commitSync(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("final offset commit failed: {}", e.toString());
            }
            consumer.close(Duration.ofSeconds(2));
            assigned.clear();
        }
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
                String why = isKnownAction(action) ? "command is malformed: " + e.getMessage()
                        : "unknown command \"" + action + "\"; this agent knows PULL, DELETE, PRELOAD, UNLOAD";
                runner.refuseUnreadable(commandId, why);
                return;
            }
        } catch (RuntimeException notJson) {
            // fall through to the log line
        }
        LOG.warn("skipping unreadable event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
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

    /** Whether the consumer runs, its partitions and when it last polled; for {@code /health}. */
    public Map<String, Object> state() {
        return Map.of("enabled", settings.enabled(), "running", running && thread != null && thread.isAlive(),
                "assignedPartitions", assigned.size(), "lastPoll", String.valueOf(lastPoll));
    }

    public boolean isHealthy() {
        return !settings.enabled() || (running && thread != null && thread.isAlive());
    }

    @PreDestroy
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
