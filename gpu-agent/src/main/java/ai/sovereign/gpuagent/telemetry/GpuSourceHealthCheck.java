package ai.sovereign.gpuagent.telemetry;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.SourceState;
import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} component named after the GPU source ({@code nvidia-smi} or {@code simulated-gpu}): DOWN with the
 * reason when the last reading was MISSING or FAILED. The agent keeps running and publishing either way.
 */
@Singleton
public final class GpuSourceHealthCheck implements HealthCheck {

    private final TelemetryCollector collector;

    public GpuSourceHealthCheck(TelemetryCollector collector) {
        this.collector = collector;
    }

    @Override
    public String name() {
        return collector.gpuSourceName();
    }

    @Override
    public CheckResult check() {
        GpuTelemetry snapshot = collector.latestOrCollect();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", snapshot.gpuSource().status().name());
        if (snapshot.gpuSource().message() != null) {
            details.put("message", snapshot.gpuSource().message());
        }
        details.put("gpus", snapshot.gpus().size());
        details.put("readAt", snapshot.collectedAt().toString());
        return snapshot.gpuSource().status() == SourceState.OK ? CheckResult.up(details) : CheckResult.down(details);
    }
}
