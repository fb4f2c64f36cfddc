package ai.sovereign.gpuagent.command;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.AuditEvent.ActorType;
import ai.sovereign.events.AuditEvent.Outcome;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.events.FleetCommandResult.Status;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.runtime.kafka.EventPublisher;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command sends back: results on {@code fleet.command-results.v1} (remembered in the {@link CommandLedger})
 * and audit events on {@code audit.events.v1}: {@code model.<action>.requested} when it arrives, then
 * {@code model.<action>} with SUCCESS, FAILURE or DENIED (refused).
 */
@Singleton
public final class CommandEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CommandEvents.class);

    private final EventPublisher publisher;
    private final CommandLedger ledger;
    private final String hostId;
    private final String source;

    public CommandEvents(EventPublisher publisher, CommandLedger ledger, AgentSettings settings) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.hostId = settings.hostId();
        this.source = "/gpu-agent/" + settings.hostId();
    }

    public void result(String commandId, Status status, String message, PullProgress progress) {
        FleetCommandResult result = new FleetCommandResult(
                commandId,
                hostId,
                status,
                message,
                progress == null ? null : progress.completedBytes(),
                progress == null ? null : progress.totalBytes(),
                progress == null ? null : progress.ratio(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        ledger.update(result);
        send(CloudEvent.of(source, commandId, result));
    }

    public void requested(FleetCommand command) {
        audit(command, command.requestedBy(), ActorType.OPERATOR, verb(command) + ".requested", Outcome.SUCCESS, null);
    }

    public void finished(FleetCommand command, Outcome outcome, String reason) {
        audit(command, "gpu-agent/" + hostId, ActorType.SERVICE, verb(command), outcome, reason);
    }

    private void audit(
            FleetCommand command, String actor, ActorType actorType, String action, Outcome outcome, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("commandId", command.commandId());
        details.put("hostId", hostId);
        details.put("requestedBy", command.requestedBy());
        if (command.serverUrl() != null) {
            details.put("serverUrl", command.serverUrl());
        }
        if (command.keepAlive() != null) {
            details.put("keepAlive", command.keepAlive());
        }
        AuditEvent event = new AuditEvent(
                actor,
                actorType,
                AuditEvent.PLATFORM_TENANT,
                action,
                "model",
                command.model(),
                outcome,
                reason,
                command.commandId(),
                null,
                details);
        send(CloudEvent.of(source, command.commandId(), event));
    }

    private static String verb(FleetCommand command) {
        return "model." + command.action().name().toLowerCase(Locale.ROOT);
    }

    private void send(CloudEvent<?> event) {
        publisher.publish(event).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("could not publish {} for command {}: {}", event.type(), event.subject(), error.toString());
            }
        });
    }
}
