package ai.sovereign.backup.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backup metrics: last success time, duration, size and failures per component, last verification outcome per
 * component, and restore duration.
 */
@Singleton
public class BackupMetrics {

    public static final List<String> COMPONENTS = List.of("postgres", "neo4j", "config", "vectors");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastDurationMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> size = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> verify = new ConcurrentHashMap<>();
    private final Timer restore;

    public BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String component : COMPONENTS) {
            gauge(
                    "backup_last_success_timestamp_seconds",
                    component,
                    lastSuccess,
                    "Unix time of the component's last successful backup");
            gauge(
                    "backup_duration_seconds",
                    component,
                    lastDurationMillis,
                    "Duration of the component's last backup (seconds)");
            gauge("backup_size_bytes", component, size, "Stored size of the component's last successful backup");
            gauge(
                    "backup_last_verify_success",
                    component,
                    verify,
                    "1 if the component's last verification passed, 0 if it failed");
            failures(component);
        }
        this.restore = Timer.builder("restore_duration")
                .description("Duration of restores")
                .register(registry);
    }

    private void gauge(String name, String component, Map<String, AtomicLong> values, String help) {
        AtomicLong value = values.computeIfAbsent(
                component, c -> new AtomicLong(name.equals("backup_last_verify_success") ? -1 : 0));
        boolean seconds = name.equals("backup_duration_seconds");
        Gauge.builder(name, value, v -> seconds ? v.get() / 1000.0 : v.get() < 0 ? Double.NaN : v.get())
                .tag("component", component)
                .description(help)
                .register(registry);
    }

    private Counter failures(String component) {
        return Counter.builder("backup_failures")
                .tag("component", component)
                .description("Failed backups")
                .register(registry);
    }

    public void succeeded(String component, long epochSecond, Duration took, long bytes) {
        lastSuccess.get(component).set(epochSecond);
        lastDurationMillis.get(component).set(took.toMillis());
        size.get(component).set(bytes);
    }

    public void failed(String component, Duration took) {
        lastDurationMillis.get(component).set(took.toMillis());
        failures(component).increment();
    }

    public void verified(String component, boolean passed) {
        verify.get(component).set(passed ? 1 : 0);
    }

    public void restored(Duration took) {
        restore.record(took);
    }
}
