package ai.sovereign.local;

import java.util.Map;

/** A simulated GPU host of the all-in-one: its id and the settings its gpu-agent runs with. */
public record GpuHost(String hostId, Map<String, Object> agentProperties) {

    public static GpuHost simulated(String hostId) {
        return new GpuHost(hostId, Map.of(
                "gpu-agent.host-id", hostId,
                "gpu-agent.gpu-source", "simulated"));
    }
}
