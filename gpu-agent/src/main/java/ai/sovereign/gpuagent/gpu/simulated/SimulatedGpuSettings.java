package ai.sovereign.gpuagent.gpu.simulated;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The simulated GPUs of a launcher or test host.
 *
 * @param gpuCount          how many GPUs the host has
 * @param name              product name every simulated GPU reports
 * @param memoryTotalBytes  framebuffer memory of each GPU
 * @param idleMemoryBytes   memory in use on each GPU with no model loaded (driver, CUDA context)
 * @param slotsPerGpu       concurrent requests that make one GPU 100 % busy
 * @param powerLimitWatts   power limit of each GPU
 * @param followUrl         the llm-simulator whose load the GPUs follow; defaults to the first configured server
 */
@ConfigurationProperties("gpu-agent.simulated")
public record SimulatedGpuSettings(
        @Bindable(defaultValue = "1") @Min(1) @Max(64) int gpuCount,

        @Bindable(defaultValue = "Simulated GPU 80GB") @NotBlank
        String name,

        @Bindable(defaultValue = "85899345920") @Min(1) long memoryTotalBytes,
        @Bindable(defaultValue = "536870912") @Min(0) long idleMemoryBytes,
        @Bindable(defaultValue = "4") @Min(1) int slotsPerGpu,
        @Bindable(defaultValue = "700") @Min(1) double powerLimitWatts,
        @Nullable String followUrl) {}
