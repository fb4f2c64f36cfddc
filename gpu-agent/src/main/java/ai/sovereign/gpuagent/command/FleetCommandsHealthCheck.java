package ai.sovereign.gpuagent.command;

import ai.sovereign.runtime.health.HealthCheck;
import ai.sovereign.runtime.health.HealthResult;
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
    public HealthResult check() {
        return consumer.isHealthy() ? HealthResult.up(consumer.state()) : HealthResult.down(consumer.state());
    }
}
