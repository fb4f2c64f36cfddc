package ai.sovereign.gpuagent;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The agent's own settings.
 *
 * @param hostId       stable id of this host in the fleet; defaults to the machine's host name ({@link HostIdDefault})
 * @param interval     time between telemetry snapshots (≥ 1 s)
 * @param gpuSource    {@code nvidia} (run nvidia-smi) or {@code simulated} (follow an llm-simulator's load)
 * @param modelDir     the directory the inference servers keep models in; its file system's free space is reported
 * @param probeTimeout how long one HTTP call to an inference server may take
 */
@ConfigurationProperties("gpu-agent")
public record AgentSettings(
        @Nullable String hostId,
        @Bindable(defaultValue = "5s") @NotNull Duration interval,
        @Bindable(defaultValue = "nvidia") @NotNull GpuSourceKind gpuSource,
        @Nullable String modelDir,
        @Bindable(defaultValue = "2s") @NotNull Duration probeTimeout) {

    public AgentSettings {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("gpu-agent.interval must be ≥ 1s (got " + interval + ")");
        }
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("gpu-agent.probe-timeout must be > 0 (got " + probeTimeout + ")");
        }
        if (hostId == null || hostId.isBlank()) {
            hostId = HostIdDefault.localHostName();
        }
    }

    /** The kinds of GPU source. */
    public enum GpuSourceKind {
        NVIDIA,
        SIMULATED
    }

    /** Whole seconds between snapshots, as {@code GpuTelemetry.intervalSeconds} carries it. */
    public int intervalSeconds() {
        return (int) Math.max(1, (interval.toMillis() + 999) / 1000);
    }
}
