package ai.sovereign.gpuagent.gpu;

import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.gpuagent.gpu.nvidia.NvidiaSmiSettings;
import ai.sovereign.gpuagent.gpu.nvidia.NvidiaSmiSource;
import ai.sovereign.gpuagent.gpu.simulated.SimulatedGpuSettings;
import ai.sovereign.gpuagent.gpu.simulated.SimulatedGpuSource;
import ai.sovereign.gpuagent.gpu.simulated.SimulatorLoadReader;
import ai.sovereign.gpuagent.http.ServerHttp;
import ai.sovereign.gpuagent.server.InferenceServer;
import ai.sovereign.gpuagent.server.InferenceServers;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The GPU source chosen by {@code gpu-agent.gpu-source}. */
@Factory
class GpuSourceFactory {

    @Singleton
    GpuSource gpuSource(
            AgentSettings agent,
            NvidiaSmiSettings nvidia,
            SimulatedGpuSettings simulated,
            InferenceServers servers,
            ServerHttp http) {
        return switch (agent.gpuSource()) {
            case NVIDIA -> new NvidiaSmiSource(nvidia);
            case SIMULATED ->
                new SimulatedGpuSource(
                        simulated,
                        agent.hostId(),
                        simulated.followUrl() != null
                                ? simulated.followUrl()
                                : servers.all().stream()
                                        .findFirst()
                                        .map(InferenceServer::url)
                                        .orElse(null),
                        new SimulatorLoadReader(http));
        };
    }
}
