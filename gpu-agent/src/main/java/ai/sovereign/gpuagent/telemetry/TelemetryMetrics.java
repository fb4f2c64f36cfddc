package ai.sovereign.gpuagent.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.GpuStats;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.events.GpuTelemetry.SourceState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;

/**
 * The latest snapshot on {@code /metrics}. A value the GPU did not report ({@code [N/A]}) has no sample at all,
 * rather than a zero; GPUs and servers that disappear lose their series.
 */
@Singleton
public final class TelemetryMetrics {

    private final List<GpuGauge> gpuGauges;
    private final MultiGauge diskFree;
    private final MultiGauge serverUp;
    private final MultiGauge modelsLoaded;
    private final MultiGauge hostCpu;
    private final MultiGauge hostMemoryUsed;
    private final MultiGauge sourceUp;
    private final Counter published;
    private final Counter publishFailures;
    private final Counter nvidiaSmiFailures;

    public TelemetryMetrics(MeterRegistry registry) {
        gpuGauges = List.of(
                gpu(registry, "gpu.utilization.ratio", "GPU busy share 0..1", GpuStats::utilizationRatio),
                gpu(registry, "gpu.memory.utilization.ratio", "GPU memory busy share 0..1",
                        GpuStats::memoryUtilizationRatio),
                gpu(registry, "gpu.memory.used.bytes", "GPU framebuffer memory in use", GpuStats::memoryUsedBytes),
                gpu(registry, "gpu.memory.total.bytes", "GPU framebuffer memory in total", GpuStats::memoryTotalBytes),
                gpu(registry, "gpu.temperature.celsius", "GPU core temperature", GpuStats::temperatureCelsius),
                gpu(registry, "gpu.power.watts", "GPU power draw", GpuStats::powerDrawWatts),
                gpu(registry, "gpu.power.limit.watts", "GPU enforced power limit", GpuStats::powerLimitWatts),
                gpu(registry, "gpu.ecc.errors.uncorrected", "Volatile uncorrected ECC errors",
                        GpuStats::eccErrorsUncorrected));
        diskFree = MultiGauge.builder("host.disk.free.bytes").description("Free bytes on the model directory's file system")
                .register(registry);
        hostCpu = MultiGauge.builder("host.cpu.utilization.ratio").description("Host CPU busy share 0..1")
                .register(registry);
        hostMemoryUsed = MultiGauge.builder("host.memory.used.bytes").description("Host memory in use (total - available)")
                .register(registry);
        serverUp = MultiGauge.builder("inference.server.up").description("1 when the last probe of the server succeeded")
                .register(registry);
        modelsLoaded = MultiGauge.builder("inference.models.loaded").description("Models resident in GPU memory")
                .register(registry);
        sourceUp = MultiGauge.builder("gpu.source.up").description("1 when the GPU source could be read")
                .register(registry);
        published = Counter.builder("agent.telemetry.published").description("Telemetry snapshots acknowledged by Kafka")
                .register(registry);
        publishFailures = Counter.builder("agent.telemetry.publish.failures")
                .description("Telemetry snapshots Kafka did not acknowledge").register(registry);
        nvidiaSmiFailures = Counter.builder("nvidia.smi.failures")
                .description("nvidia-smi readings that failed or found no GPU").register(registry);
    }

    /** Shows {@code snapshot}; {@code sourceName} is the GPU source's name. */
    public void record(GpuTelemetry snapshot, String sourceName) {
        for (GpuGauge gauge : gpuGauges) {
            gauge.show(snapshot.gpus());
        }
        boolean sourceOk = snapshot.gpuSource().status() == SourceState.OK;
        sourceUp.register(List.of(MultiGauge.Row.of(Tags.of("source", sourceName), sourceOk ? 1 : 0)), true);
        if (!sourceOk && "nvidia-smi".equals(sourceName)) {
            nvidiaSmiFailures.increment();
        }
        GpuTelemetry.HostStats host = snapshot.host();
        diskFree.register(host.diskFreeBytes() == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.of("path", host.modelDiskPath()), host.diskFreeBytes())), true);
        hostCpu.register(host.cpuUtilizationRatio() == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.empty(), host.cpuUtilizationRatio())), true);
        hostMemoryUsed.register(host.memoryUsedBytes() == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.empty(), host.memoryUsedBytes())), true);
        List<MultiGauge.Row<?>> up = new ArrayList<>();
        List<MultiGauge.Row<?>> loaded = new ArrayList<>();
        for (ServerStatus server : snapshot.servers()) {
            Tags tags = Tags.of("server", server.id(), "type", server.type().name().toLowerCase(java.util.Locale.ROOT));
            up.add(MultiGauge.Row.of(tags, server.healthy() ? 1 : 0));
            if (server.healthy()) {
                loaded.add(MultiGauge.Row.of(tags, server.loadedModels().size()));
            }
        }
        serverUp.register(up, true);
        modelsLoaded.register(loaded, true);
    }

    public void published() {
        published.increment();
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    private static GpuGauge gpu(MeterRegistry registry, String name, String description,
                                Function<GpuStats, Number> value) {
        return new GpuGauge(MultiGauge.builder(name).description(description).register(registry), value);
    }

    private record GpuGauge(MultiGauge gauge, Function<GpuStats, Number> value) {

        void show(List<GpuStats> gpus) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>(gpus.size());
            for (GpuStats gpu : gpus) {
                Number number = value.apply(gpu);
                if (number != null) {
                    rows.add(MultiGauge.Row.of(Tags.of("gpu", Integer.toString(gpu.index()), "uuid", gpu.uuid(),
                            "name", gpu.name()), number));
                }
            }
            gauge.register(rows, true);
        }
    }
}
