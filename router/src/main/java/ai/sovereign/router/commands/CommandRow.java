package ai.sovereign.router.commands;

import ai.sovereign.events.FleetCommand;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Locale;

/**
 * A row of {@code fleet_commands} (in the router's schema, where its pool's connections start) as stored: the action
 * and status in their lower-case wire form.
 */
@MappedEntity("fleet_commands")
record CommandRow(
        @Id String commandId,
        @Nullable String idempotencyKey,
        String hostId,
        String action,
        String model,
        @Nullable String serverUrl,
        @Nullable String keepAlive,
        String requestedBy,
        Instant requestedAt,
        String status,
        @Nullable String message,
        @Nullable String error,
        @Nullable Long completedBytes,
        @Nullable Long totalBytes,
        @Nullable Double progressRatio,
        Instant updatedAt,
        @Nullable Instant finishedAt) {

    static CommandRow of(TrackedCommand c) {
        return new CommandRow(
                c.commandId(),
                c.idempotencyKey(),
                c.hostId(),
                c.action().name().toLowerCase(Locale.ROOT),
                c.model(),
                c.serverUrl(),
                c.keepAlive(),
                c.requestedBy(),
                c.requestedAt(),
                c.status().wireName(),
                c.message(),
                c.error(),
                c.completedBytes(),
                c.totalBytes(),
                c.progressRatio(),
                c.updatedAt(),
                c.finishedAt());
    }

    TrackedCommand toCommand() {
        return new TrackedCommand(
                commandId,
                idempotencyKey,
                hostId,
                FleetCommand.Action.valueOf(action.toUpperCase(Locale.ROOT)),
                model,
                serverUrl,
                keepAlive,
                requestedBy,
                requestedAt,
                CommandStatus.valueOf(status.toUpperCase(Locale.ROOT)),
                message,
                error,
                completedBytes,
                totalBytes,
                progressRatio,
                updatedAt,
                finishedAt);
    }
}
