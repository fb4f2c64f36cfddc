package ai.sovereign.gpuagent.server;

import ai.sovereign.events.GpuTelemetry.ServerType;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * One inference server on this host, configured as {@code gpu-agent.servers.<name>.*}.
 *
 * @param name           the configuration key; names the server in {@code /health} and metrics
 * @param url            base URL the router should call, e.g. {@code http://10.0.0.5:11434}
 * @param type           {@code ollama}, {@code openai} or {@code vllm}
 * @param maxConcurrency requests the server may run at once
 * @param id             fleet-unique server id; defaults to {@code <host-id>:<port>}
 */
@EachProperty("gpu-agent.servers")
public record ServerSettings(
        @Parameter String name,
        @NotBlank String url,
        @Bindable(defaultValue = "ollama") ServerType type,
        @Bindable(defaultValue = "4") @Min(1) int maxConcurrency,
        @Nullable String id) {}
