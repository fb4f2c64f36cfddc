package ai.sovereign.gpuagent.telemetry;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.gpuagent.gpu.GpuReading;
import ai.sovereign.gpuagent.gpu.GpuSource;
import ai.sovereign.gpuagent.host.HostStatsReader;
import ai.sovereign.gpuagent.server.InferenceServers;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Takes one telemetry snapshot of the host (GPUs, host, servers) and remembers the latest. */
@Singleton
public final class TelemetryCollector {

    private final AgentSettings settings;
    private final GpuSource gpuSource;
    private final HostStatsReader hostStats;
    private final InferenceServers servers;
    private final AtomicReference<GpuTelemetry> latest = new AtomicReference<>();

    public TelemetryCollector(
            AgentSettings settings, GpuSource gpuSource, HostStatsReader hostStats, InferenceServers servers) {
        this.settings = settings;
        this.gpuSource = gpuSource;
        this.hostStats = hostStats;
        this.servers = servers;
    }

    /** Reads everything now (blocking: runs nvidia-smi and probes the servers) and returns the snapshot. */
    public synchronized GpuTelemetry collect() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        GpuReading gpus = gpuSource.read();
        List<ServerStatus> statuses = servers.probeAll();
        GpuTelemetry snapshot = new GpuTelemetry(
                settings.hostId(),
                AgentVersion.VALUE,
                settings.intervalSeconds(),
                at,
                gpus.status(),
                gpus.gpus(),
                hostStats.read(),
                statuses);
        latest.set(snapshot);
        return snapshot;
    }

    /** The latest snapshot; collects one first if there is none yet. */
    public GpuTelemetry latestOrCollect() {
        GpuTelemetry snapshot = latest.get();
        return snapshot != null ? snapshot : collect();
    }

    public String gpuSourceName() {
        return gpuSource.name();
    }
}
