package ai.sovereign.router.commands;

import ai.sovereign.events.FleetCommand;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;

/**
 * A fleet command the router sent and the latest the host said about it.
 *
 * @param message        the host's last status line (a pull's "pulling …", or the final result)
 * @param error          why it failed or was refused; null otherwise
 * @param completedBytes pull progress, bytes done; null before the first progress report
 */
public record TrackedCommand(
        String commandId,
        @Nullable String idempotencyKey,
        String hostId,
        FleetCommand.Action action,
        String model,
        @Nullable String serverUrl,
        @Nullable String keepAlive,
        String requestedBy,
        Instant requestedAt,
        CommandStatus status,
        @Nullable String message,
        @Nullable String error,
        @Nullable Long completedBytes,
        @Nullable Long totalBytes,
        @Nullable Double progressRatio,
        Instant updatedAt,
        @Nullable Instant finishedAt) {

    /** A command just requested, not yet answered. */
    static TrackedCommand pending(FleetCommand command, @Nullable String idempotencyKey) {
        return new TrackedCommand(
                command.commandId(),
                idempotencyKey,
                command.hostId(),
                command.action(),
                command.model(),
                command.serverUrl(),
                command.keepAlive(),
                command.requestedBy(),
                command.requestedAt(),
                CommandStatus.PENDING,
                null,
                null,
                null,
                null,
                null,
                command.requestedAt(),
                null);
    }

    /** The event the host acts on. */
    public FleetCommand toEvent() {
        return new FleetCommand(commandId, hostId, action, model, serverUrl, keepAlive, requestedBy, requestedAt);
    }

    /** Whether {@code other} asks for the same thing (same host, action, model and options). */
    boolean sameRequest(TrackedCommand other) {
        return hostId.equals(other.hostId)
                && action == other.action
                && model.equals(other.model)
                && Objects.equals(serverUrl, other.serverUrl)
                && Objects.equals(keepAlive, other.keepAlive);
    }
}
