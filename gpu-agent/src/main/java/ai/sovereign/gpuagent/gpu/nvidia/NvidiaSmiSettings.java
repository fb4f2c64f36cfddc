package ai.sovereign.gpuagent.gpu.nvidia;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How to run nvidia-smi.
 *
 * @param path    the binary: a bare name is looked up on {@code PATH}, anything with a {@code /} is used as is
 * @param timeout how long one query may take before the process is killed and the reading counts as failed
 */
@ConfigurationProperties("gpu-agent.nvidia-smi")
public record NvidiaSmiSettings(
        @Bindable(defaultValue = "nvidia-smi") @NotBlank String path,
        @Bindable(defaultValue = "5s") @NotNull Duration timeout) {}
