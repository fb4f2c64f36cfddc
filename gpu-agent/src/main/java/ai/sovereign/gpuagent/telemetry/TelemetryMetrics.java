package ai.sovereign.gpuagent.telemetry;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.GpuStats;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.events.GpuTelemetry.SourceState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The latest snapshot on {@code /metrics}. A value the GPU did not report ({@code [N/A]}) has no sample at all,
 * rather than a zero; GPUs and servers that disappear lose their series.
 */
@Singleton
public final class TelemetryMetrics {

    private final List<GpuGauge> gpuGauges;
    private final GaugeSeries diskFree;
    private final GaugeSeries diskTotal;
    private final GaugeSeries serverUp;
    private final GaugeSeries modelsLoaded;
    private final GaugeSeries hostCpu;
    private final GaugeSeries hostMemoryUsed;
    private final GaugeSeries sourceUp;
    private final Counter published;
    private final Counter publishFailures;
    private final Counter nvidiaSmiFailures;

    public TelemetryMetrics(MeterRegistry registry) {
        gpuGauges = List.of(
                gpu(registry, "gpu.utilization.ratio", "GPU busy share 0..1", GpuStats::utilizationRatio),
                gpu(
                        registry,
                        "gpu.memory.utilization.ratio",
                        "GPU memory busy share 0..1",
                        GpuStats::memoryUtilizationRatio),
                gpu(registry, "gpu.memory.used.bytes", "GPU framebuffer memory in use", GpuStats::memoryUsedBytes),
                gpu(registry, "gpu.memory.total.bytes", "GPU framebuffer memory in total", GpuStats::memoryTotalBytes),
                gpu(registry, "gpu.temperature.celsius", "GPU core temperature", GpuStats::temperatureCelsius),
                gpu(registry, "gpu.power.watts", "GPU power draw", GpuStats::powerDrawWatts),
                gpu(registry, "gpu.power.limit.watts", "GPU enforced power limit", GpuStats::powerLimitWatts),
                gpu(
                        registry,
                        "gpu.ecc.errors.uncorrected",
                        "Volatile uncorrected ECC errors",
                        GpuStats::eccErrorsUncorrected));
        diskFree = new GaugeSeries(
                registry, "host.disk.free.bytes", "Free bytes on the model directory's file system", "path");
        diskTotal =
                new GaugeSeries(registry, "host.disk.total.bytes", "Size of the model directory's file system", "path");
        hostCpu = new GaugeSeries(registry, "host.cpu.utilization.ratio", "Host CPU busy share 0..1");
        hostMemoryUsed = new GaugeSeries(registry, "host.memory.used.bytes", "Host memory in use (total - available)");
        serverUp = new GaugeSeries(
                registry, "inference.server.up", "1 when the last probe of the server succeeded", "server", "type");
        modelsLoaded =
                new GaugeSeries(registry, "inference.models.loaded", "Models resident in GPU memory", "server", "type");
        sourceUp = new GaugeSeries(registry, "gpu.source.up", "1 when the GPU source could be read", "source");
        published = Counter.builder("agent.telemetry.published")
                .description("Telemetry snapshots acknowledged by Kafka")
                .register(registry);
        publishFailures = Counter.builder("agent.telemetry.publish.failures")
                .description("Telemetry snapshots Kafka did not acknowledge")
                .register(registry);
        nvidiaSmiFailures = Counter.builder("nvidia.smi.failures")
                .description("nvidia-smi readings that failed or found no GPU")
                .register(registry);
    }

    /** Shows {@code snapshot}; {@code sourceName} is the GPU source's name. */
    public void record(GpuTelemetry snapshot, String sourceName) {
        for (GpuGauge gauge : gpuGauges) {
            gauge.show(snapshot.gpus());
        }
        boolean sourceOk = snapshot.gpuSource().status() == SourceState.OK;
        sourceUp.update().add(sourceOk ? 1 : 0, sourceName).show();
        if (!sourceOk && "nvidia-smi".equals(sourceName)) {
            nvidiaSmiFailures.increment();
        }
        GpuTelemetry.HostStats host = snapshot.host();
        diskFree.update().add(host.diskFreeBytes(), host.modelDiskPath()).show();
        diskTotal.update().add(host.diskTotalBytes(), host.modelDiskPath()).show();
        hostCpu.update().add(host.cpuUtilizationRatio()).show();
        hostMemoryUsed.update().add(host.memoryUsedBytes()).show();
        GaugeSeries.Update up = serverUp.update();
        GaugeSeries.Update loaded = modelsLoaded.update();
        for (ServerStatus server : snapshot.servers()) {
            String type = server.type().name().toLowerCase(Locale.ROOT);
            up.add(server.healthy() ? 1 : 0, server.id(), type);
            loaded.add(server.healthy() ? server.loadedModels().size() : null, server.id(), type);
        }
        up.show();
        loaded.show();
    }

    public void published() {
        published.increment();
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    private static GpuGauge gpu(
            MeterRegistry registry, String name, String description, Function<GpuStats, Number> value) {
        return new GpuGauge(new GaugeSeries(registry, name, description, "gpu", "uuid", "name"), value);
    }

    private record GpuGauge(GaugeSeries series, Function<GpuStats, Number> value) {

        void show(List<GpuStats> gpus) {
            GaugeSeries.Update update = series.update();
            for (GpuStats gpu : gpus) {
                update.add(value.apply(gpu), Integer.toString(gpu.index()), gpu.uuid(), gpu.name());
            }
            update.show();
        }
    }
}
