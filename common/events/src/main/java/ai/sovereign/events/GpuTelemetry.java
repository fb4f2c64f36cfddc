package ai.sovereign.events;

import java.time.Instant;
import java.util.List;

/**
 * One snapshot from a gpu-agent: its GPUs, its host and its inference servers. Topic
 * {@value Topics#GPU_TELEMETRY}, keyed by host id; the router schedules on it and registers the servers it lists.
 *
 * @param hostId          stable id of the GPU host
 * @param agentVersion    version of the gpu-agent that sent it
 * @param intervalSeconds seconds between snapshots; a router may treat a host silent for a few intervals as gone
 * @param collectedAt     when the snapshot was taken
 * @param gpuSource       whether GPU statistics could be read at all
 * @param gpus            one entry per GPU; empty when {@code gpuSource} is not OK
 * @param host            CPU, memory and model-disk statistics of the host
 * @param servers         the inference servers on this host, whether healthy or not
 */
public record GpuTelemetry(
        String hostId,
        String agentVersion,
        int intervalSeconds,
        Instant collectedAt,
        GpuSourceStatus gpuSource,
        List<GpuStats> gpus,
        HostStats host,
        List<ServerStatus> servers)
        implements EventPayload {

    public static final String TYPE = "ai.sovereign.gpu.telemetry.v1";

    public GpuTelemetry {
        gpus = Immutable.list(gpus);
        servers = Immutable.list(servers);
    }

    @Override
    public String partitionKey() {
        return hostId;
    }

    /** OK: statistics were read; MISSING: no GPU tooling or device on this host; FAILED: reading them failed. */
    public enum SourceState {
        OK,
        MISSING,
        FAILED
    }

    /**
     * How reading the host's GPU statistics went.
     *
     * @param status  whether GPU statistics could be read
     * @param message why not (e.g. the nvidia-smi error); null when OK
     */
    public record GpuSourceStatus(
            SourceState status, @Nullable String message) {}

    /**
     * One GPU. Every metric is nullable because {@code nvidia-smi} reports {@code [N/A]} or
     * {@code [Not Supported]} for some on some boards; index, uuid and name are always known.
     *
     * @param index                  the driver's index (as in {@code CUDA_VISIBLE_DEVICES})
     * @param uuid                   the GPU UUID, e.g. {@code GPU-5fd4...}
     * @param name                   the product name, e.g. {@code NVIDIA H100 80GB HBM3}
     * @param memoryTotalBytes       framebuffer memory in total
     * @param memoryUsedBytes        framebuffer memory in use
     * @param memoryFreeBytes        framebuffer memory free
     * @param utilizationRatio       0..1 share of time a kernel was running
     * @param memoryUtilizationRatio 0..1 share of time memory was read or written
     * @param temperatureCelsius     core temperature
     * @param powerDrawWatts         current power draw
     * @param powerLimitWatts        enforced power limit
     * @param smClockMhz             current SM clock
     * @param persistenceMode        whether persistence mode is on
     * @param eccErrorsUncorrected   volatile uncorrected ECC errors since driver load
     */
    public record GpuStats(
            int index,
            String uuid,
            String name,
            @Nullable Long memoryTotalBytes,
            @Nullable Long memoryUsedBytes,
            @Nullable Long memoryFreeBytes,
            @Nullable Double utilizationRatio,
            @Nullable Double memoryUtilizationRatio,
            @Nullable Double temperatureCelsius,
            @Nullable Double powerDrawWatts,
            @Nullable Double powerLimitWatts,
            @Nullable Integer smClockMhz,
            @Nullable Boolean persistenceMode,
            @Nullable Long eccErrorsUncorrected) {}

    /**
     * The host. Each value is null when the agent could not read it (e.g. not on Linux, or no model path configured).
     *
     * @param cpuUtilizationRatio 0..1 CPU busy share across all cores
     * @param memoryTotalBytes    physical memory in total
     * @param memoryUsedBytes     physical memory in use (total minus available)
     * @param modelDiskPath       the directory the inference servers keep models in
     * @param diskFreeBytes       free bytes on the file system of {@code modelDiskPath}
     * @param diskTotalBytes      size of that file system
     */
    public record HostStats(
            @Nullable Double cpuUtilizationRatio,
            @Nullable Long memoryTotalBytes,
            @Nullable Long memoryUsedBytes,
            @Nullable String modelDiskPath,
            @Nullable Long diskFreeBytes,
            @Nullable Long diskTotalBytes) {}

    /** The API an inference server speaks. */
    public enum ServerType {
        OLLAMA,
        OPENAI,
        VLLM
    }

    /**
     * One inference server on the host, as the agent last probed it.
     *
     * @param id                stable server id (unique in the fleet), e.g. {@code gpu-host-01:11434}
     * @param url               base URL the router should call, e.g. {@code http://10.0.0.5:11434}
     * @param type              the API it speaks
     * @param maxConcurrency    requests it may run at once
     * @param healthy           whether the last probe succeeded
     * @param error             the last probe's error; null when healthy
     * @param models            models available on it (pulled / served); may be empty
     * @param loadedModels      models resident in GPU memory now; may be empty
     * @param requestsRunning   requests in flight, where the server reports it (vLLM metrics); optional
     * @param requestsWaiting   requests queued inside the server; optional
     * @param kvCacheUsageRatio 0..1 KV-cache use (vLLM); optional
     */
    public record ServerStatus(
            String id,
            String url,
            ServerType type,
            int maxConcurrency,
            boolean healthy,
            @Nullable String error,
            List<String> models,
            List<LoadedModel> loadedModels,
            @Nullable Integer requestsRunning,
            @Nullable Integer requestsWaiting,
            @Nullable Double kvCacheUsageRatio) {

        public ServerStatus {
            models = Immutable.list(models);
            loadedModels = Immutable.list(loadedModels);
        }
    }

    /**
     * A model resident in GPU memory (Ollama {@code /api/ps}).
     *
     * @param name          the model name
     * @param sizeVramBytes bytes of GPU memory it holds; optional
     * @param expiresAt     when the server will unload it if idle; optional
     */
    public record LoadedModel(
            String name,
            @Nullable Long sizeVramBytes,
            @Nullable Instant expiresAt) {}
}
