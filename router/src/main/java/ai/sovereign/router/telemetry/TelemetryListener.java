package ai.sovereign.router.telemetry;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.ApplicationConfiguration;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code gpu.telemetry.v1} and hands each snapshot to the {@link HostRegistry}. Every router replica needs every
 * host's telemetry, so each replica assigns itself every partition of the topic, with no consumer group at all (no
 * group per start left behind on the brokers, no rebalances), and reads from the newest offset: telemetry is a state
 * snapshot, an old one is worth nothing. Partitions that appear later (the topic is created by the first agent, or
 * grown) are picked up within {@link #PARTITION_CHECK} and read from their start. A malformed event is logged and
 * skipped.
 *
 * <p>This is the one consumer not written as a micronaut-kafka {@code @KafkaListener}: the module (5.9) always
 * subscribes through a consumer group, which would either split the partitions between replicas or, with
 * {@code uniqueGroupId}, leave a new group on the brokers at every start. The client settings are still the module's
 * ({@code kafka.*}, so the same address and credentials as every other client).
 */
@Context
@Requires(property = "router.telemetry.enabled", notEquals = "false")
public class TelemetryListener {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryListener.class);
    /** How often the topic's partitions are listed again. */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(10);

    private final KafkaConsumer<String, byte[]> consumer;
    private final HostRegistry hosts;
    private final EventCodec codec = new EventCodec();
    private final Thread thread;
    private volatile boolean running = true;

    public TelemetryListener(
            KafkaDefaultConfiguration kafka, HostRegistry hosts, ApplicationConfiguration application) {
        this.hosts = hosts;
        String service = application.getName().orElse("router");
        Properties props = new Properties();
        props.putAll(kafka.getConfig());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, service + "-telemetry");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofVirtual().name("router-telemetry").start(this::run);
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextCheck = 0;
        try {
            while (running) {
                if (System.nanoTime() - nextCheck >= 0) {
                    assignNewPartitions(assigned);
                    nextCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500); // no partition yet: nothing to poll until the topic exists
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        CloudEvent<GpuTelemetry> event = codec.decode(record.value(), GpuTelemetry.class);
                        hosts.apply(event.data());
                    } catch (RuntimeException e) {
                        LOG.warn("skipped a gpu.telemetry.v1 event at offset {}: {}", record.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the gpu.telemetry.v1 listener stopped: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Adds the topic's partitions not yet read: from the newest offset at the first look, from the start later. */
    private void assignNewPartitions(Set<TopicPartition> assigned) {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(Topics.GPU_TELEMETRY, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("could not list the partitions of {} yet: {}", Topics.GPU_TELEMETRY, e.getMessage());
            return;
        }
        Set<TopicPartition> found = new HashSet<>();
        for (PartitionInfo partition : partitions == null ? List.<PartitionInfo>of() : partitions) {
            found.add(new TopicPartition(partition.topic(), partition.partition()));
        }
        found.removeAll(assigned);
        if (found.isEmpty()) {
            return;
        }
        boolean firstLook = assigned.isEmpty();
        assigned.addAll(found);
        consumer.assign(assigned);
        if (firstLook) {
            consumer.seekToEnd(found);
        } else {
            consumer.seekToBeginning(found);
        }
        LOG.info("reading {} partition(s) of {}", assigned.size(), Topics.GPU_TELEMETRY);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
