package ai.sovereign.gpuagent.telemetry;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.runtime.kafka.EventPublisher;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code gpu-agent.interval}: takes a snapshot, shows it on {@code /metrics} and publishes it to
 * {@code gpu.telemetry.v1} keyed by host id. A slow snapshot delays the next one rather than overlapping it; a
 * snapshot Kafka does not take is counted and dropped (the next one supersedes it).
 */
@Singleton
public final class TelemetryLoop implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryLoop.class);

    private final AgentSettings settings;
    private final TelemetryCollector collector;
    private final TelemetryMetrics metrics;
    private final EventPublisher publisher;
    private final String source;
    private final AtomicReference<CloudEvent<GpuTelemetry>> lastEvent = new AtomicReference<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gpu-agent-telemetry").daemon(true).factory());

    public TelemetryLoop(
            AgentSettings settings, TelemetryCollector collector, TelemetryMetrics metrics, EventPublisher publisher) {
        this.settings = settings;
        this.collector = collector;
        this.metrics = metrics;
        this.publisher = publisher;
        this.source = "/gpu-agent/" + settings.hostId();
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        LOG.info(
                "publishing telemetry of host {} every {} (GPU source {})",
                settings.hostId(),
                settings.interval(),
                collector.gpuSourceName());
        scheduler.scheduleAtFixedRate(this::tick, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One snapshot, shown and published; never throws, so the schedule keeps running. */
    void tick() {
        try {
            GpuTelemetry snapshot = collector.collect();
            metrics.record(snapshot, collector.gpuSourceName());
            CloudEvent<GpuTelemetry> event = CloudEvent.of(source, snapshot.hostId(), snapshot);
            lastEvent.set(event);
            publisher.publish(event).whenComplete((ok, error) -> {
                if (error == null) {
                    metrics.published();
                } else {
                    metrics.publishFailed();
                    LOG.warn("telemetry snapshot not published: {}", error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.error("telemetry snapshot failed", e);
        }
    }

    /** The last snapshot taken, as the event published for it; null before the first. */
    public CloudEvent<GpuTelemetry> lastEvent() {
        return lastEvent.get();
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
