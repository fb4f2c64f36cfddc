package ai.sovereign.router.commands;

import ai.sovereign.events.FleetCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * {@code orchestrator_fleet_commands_requested_total{action}} and
 * {@code orchestrator_fleet_commands_finished_total{action,status}} (succeeded, failed, refused).
 */
@Singleton
public class CommandMetrics {

    private final MeterRegistry registry;

    public CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void requested(FleetCommand.Action action) {
        Counter.builder("orchestrator.fleet.commands.requested")
                .description("Fleet commands sent to gpu-agents")
                .tag("action", name(action))
                .register(registry)
                .increment();
    }

    void finished(FleetCommand.Action action, CommandStatus status) {
        Counter.builder("orchestrator.fleet.commands.finished")
                .description("Fleet commands finished, by action and final status")
                .tag("action", name(action))
                .tag("status", status.wireName())
                .register(registry)
                .increment();
    }

    private static String name(FleetCommand.Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }
}
