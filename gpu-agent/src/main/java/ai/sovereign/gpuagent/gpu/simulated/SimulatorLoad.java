package ai.sovereign.gpuagent.gpu.simulated;

import java.util.Map;

/**
 * The load on an llm-simulator at one moment.
 *
 * @param runningByModel requests holding a slot, per model ({@code vllm:num_requests_running})
 * @param vramByModel    bytes of GPU memory each loaded model holds ({@code /api/ps size_vram})
 */
public record SimulatorLoad(Map<String, Integer> runningByModel, Map<String, Long> vramByModel) {

    public static final SimulatorLoad IDLE = new SimulatorLoad(Map.of(), Map.of());

    public SimulatorLoad {
        runningByModel = Map.copyOf(runningByModel);
        vramByModel = Map.copyOf(vramByModel);
    }
}
