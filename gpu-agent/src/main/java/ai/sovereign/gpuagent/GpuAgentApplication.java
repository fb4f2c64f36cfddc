package ai.sovereign.gpuagent;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the gpu-agent: one per GPU host: GPU, host and inference-server telemetry, self-registration, model lifecycle commands. */
public final class GpuAgentApplication {

    private GpuAgentApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run("gpu-agent", GpuAgentApplication.class, args, Dependency.KAFKA);
    }
}
