package ai.sovereign.gpuagent.command;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * {@code /health} component {@code fleet-commands}: DOWN until micronaut-kafka runs the command consumer; absent when
 * {@code gpu-agent.commands.enabled} is false.
 */
@Singleton
@Requires(property = "gpu-agent.commands.enabled", notEquals = "false")
public final class FleetCommandsHealthCheck implements HealthCheck {

    private final FleetCommandConsumer consumer;

    public FleetCommandsHealthCheck(FleetCommandConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String name() {
        return "fleet-commands";
    }

    @Override
    public CheckResult check() {
        return consumer.isHealthy() ? CheckResult.up(consumer.state()) : CheckResult.down(consumer.state());
    }
}
