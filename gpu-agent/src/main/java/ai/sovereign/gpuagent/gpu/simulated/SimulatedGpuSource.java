package ai.sovereign.gpuagent.gpu.simulated;

import ai.sovereign.events.GpuTelemetry.GpuStats;
import ai.sovereign.gpuagent.gpu.GpuReading;
import ai.sovereign.gpuagent.gpu.GpuSource;
import ai.sovereign.gpuagent.http.ServerCallException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * GPUs that do not exist, whose memory and utilisation follow the load on an llm-simulator: each loaded model is
 * placed on the GPU with the least memory in use (in name order) and holds its {@code size_vram} there; each
 * running request of a model makes its GPU busier by 1 / {@code slotsPerGpu}. Temperature, power and clock follow
 * utilisation. For the all-in-one launcher and tests; the numbers are plausible, not measured.
 */
public final class SimulatedGpuSource implements GpuSource {

    private final SimulatedGpuSettings settings;
    private final String hostId;
    private final String followUrl;
    private final SimulatorLoadReader loadReader;

    /** {@code followUrl} null: no server to follow, the GPUs stay idle. */
    public SimulatedGpuSource(
            SimulatedGpuSettings settings, String hostId, String followUrl, SimulatorLoadReader loadReader) {
        this.settings = settings;
        this.hostId = hostId;
        this.followUrl = followUrl;
        this.loadReader = loadReader;
    }

    @Override
    public String name() {
        return "simulated-gpu";
    }

    @Override
    public GpuReading read() {
        SimulatorLoad load = SimulatorLoad.IDLE;
        if (followUrl != null) {
            try {
                load = loadReader.read(followUrl);
            } catch (ServerCallException e) {
                return GpuReading.failed("cannot read the load of the simulated host's server: " + e.getMessage());
            }
        }
        return GpuReading.ok(gpusUnder(load));
    }

    /** The simulated GPUs under {@code load}; pure, so the mapping is testable without a simulator. */
    List<GpuStats> gpusUnder(SimulatorLoad load) {
        int count = settings.gpuCount();
        long[] used = new long[count];
        double[] busy = new double[count];
        java.util.Arrays.fill(used, settings.idleMemoryBytes());
        TreeMap<String, Integer> placement = new TreeMap<>();
        new TreeMap<>(load.vramByModel()).forEach((model, bytes) -> {
            int gpu = leastUsed(used);
            used[gpu] += bytes;
            placement.put(model, gpu);
        });
        load.runningByModel().forEach((model, running) -> {
            Integer gpu = placement.get(model);
            if (gpu != null) {
                busy[gpu] += running / (double) settings.slotsPerGpu();
            } else {
                for (int i = 0; i < count; i++) {
                    busy[i] += running / (double) (settings.slotsPerGpu() * count);
                }
            }
        });
        List<GpuStats> gpus = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long total = settings.memoryTotalBytes();
            long inUse = Math.min(total, used[i]);
            double utilization = Math.min(1.0, busy[i]);
            gpus.add(new GpuStats(
                    i,
                    uuid(i),
                    settings.name(),
                    total,
                    inUse,
                    total - inUse,
                    utilization,
                    Math.min(1.0, utilization * 0.6),
                    round(30 + 50 * utilization),
                    round(settings.powerLimitWatts() * (0.1 + 0.85 * utilization)),
                    settings.powerLimitWatts(),
                    utilization > 0 ? 1980 : 345,
                    true,
                    0L));
        }
        return gpus;
    }

    private static int leastUsed(long[] used) {
        int best = 0;
        for (int i = 1; i < used.length; i++) {
            if (used[i] < used[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private String uuid(int index) {
        return "GPU-" + UUID.nameUUIDFromBytes((hostId + "/" + index).getBytes(StandardCharsets.UTF_8));
    }
}
