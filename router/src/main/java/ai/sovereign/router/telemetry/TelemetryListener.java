package ai.sovereign.router.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.runtime.kafka.KafkaSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code gpu.telemetry.v1} and hands each snapshot to the {@link HostRegistry}. Every router replica needs
 * every host's telemetry, so each reads with a group of its own from the newest offset: telemetry is a state
 * snapshot, an old one is worth nothing. A malformed event is logged and skipped.
 */
@Context
@Requires(property = "router.telemetry.enabled", notEquals = "false")
public class TelemetryListener {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryListener.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final HostRegistry hosts;
    private final EventCodec codec = new EventCodec();
    private final Thread thread;
    private volatile boolean running = true;

    public TelemetryListener(KafkaSettings kafka, HostRegistry hosts) {
        this.hosts = hosts;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "router-telemetry-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.thread = Thread.ofVirtual().name("router-telemetry").start(this::run);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.GPU_TELEMETRY));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        CloudEvent<GpuTelemetry> event = codec.decode(record.value(), GpuTelemetry.class);
                        hosts.apply(event.data());
                    } catch (RuntimeException e) {
                        LOG.warn("skipped a gpu.telemetry.v1 event at offset {}: {}", record.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the gpu.telemetry.v1 listener stopped: {}", e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
