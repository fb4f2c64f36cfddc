package ai.sovereign.gpuagent.command;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import jakarta.inject.Singleton;

/** {@code /health} component {@code fleet-commands}: DOWN when command consumption is enabled but has stopped. */
@Singleton
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
