package ai.sovereign.gpuagent.gpu;

import ai.sovereign.events.GpuTelemetry.GpuSourceStatus;
import ai.sovereign.events.GpuTelemetry.GpuStats;
import ai.sovereign.events.GpuTelemetry.SourceState;
import java.util.List;

/** One reading of a {@link GpuSource}: whether it worked and, if it did, every GPU. */
public record GpuReading(GpuSourceStatus status, List<GpuStats> gpus) {

    public GpuReading {
        gpus = List.copyOf(gpus);
        if (status.status() != SourceState.OK && !gpus.isEmpty()) {
            throw new IllegalArgumentException("a " + status.status() + " reading carries no GPUs");
        }
    }

    public static GpuReading ok(List<GpuStats> gpus) {
        return new GpuReading(new GpuSourceStatus(SourceState.OK, null), gpus);
    }

    /** No GPU tooling or no device on this host. */
    public static GpuReading missing(String message) {
        return new GpuReading(new GpuSourceStatus(SourceState.MISSING, message), List.of());
    }

    /** The tooling is there but reading it failed. */
    public static GpuReading failed(String message) {
        return new GpuReading(new GpuSourceStatus(SourceState.FAILED, message), List.of());
    }

    public boolean isOk() {
        return status.status() == SourceState.OK;
    }
}
