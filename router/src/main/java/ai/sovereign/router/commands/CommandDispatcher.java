package ai.sovereign.router.commands;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.events.UuidV7;
import ai.sovereign.router.telemetry.HostRegistry;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.kafka.EventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends model lifecycle commands to a GPU host's agent: checks the host is one the router hears from, stores the
 * command (pending) and publishes it on {@code fleet.commands.v1} keyed by host id. A repeated command id or
 * idempotency key gives back the command already sent instead of a second one.
 */
@Singleton
public class CommandDispatcher {

    private static final String SOURCE = "/sovereign/router";

    private final CommandStore store;
    private final HostRegistry hosts;
    private final EventPublisher publisher;
    private final CommandSettings settings;
    private final CommandMetrics metrics;

    /**
     * What an operator asked for.
     *
     * @param commandId      a UUID the client chose, or null for a new one
     * @param idempotencyKey the client's {@code Idempotency-Key}, or null
     */
    public record CommandRequest(
            String hostId,
            FleetCommand.Action action,
            String model,
            @Nullable String serverUrl,
            @Nullable String keepAlive,
            @Nullable String commandId,
            @Nullable String idempotencyKey,
            String requestedBy) {}

    /** The command, and whether it was sent before (so this request sent nothing). */
    public record Submission(TrackedCommand command, boolean replayed) {}

    public CommandDispatcher(
            CommandStore store,
            HostRegistry hosts,
            EventPublisher publisher,
            CommandSettings settings,
            CommandMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.hosts = hosts;
        this.publisher = publisher;
        this.settings = settings;
    }

    public Submission submit(CommandRequest request) {
        String commandId = request.commandId() != null
                ? request.commandId()
                : UuidV7.generate().toString();
        FleetCommand event = new FleetCommand(
                commandId,
                request.hostId(),
                request.action(),
                request.model(),
                request.serverUrl(),
                request.keepAlive(),
                request.requestedBy(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        TrackedCommand candidate = TrackedCommand.pending(event, request.idempotencyKey());
        Optional<TrackedCommand> earlier = earlier(request);
        if (earlier.isPresent()) {
            return replay(earlier.get(), candidate);
        }
        String serverUrl = checkTarget(request);
        if (serverUrl != null && !serverUrl.equals(request.serverUrl())) {
            // the agent matches the URL as it reports it
            event = new FleetCommand(
                    event.commandId(),
                    event.hostId(),
                    event.action(),
                    event.model(),
                    serverUrl,
                    event.keepAlive(),
                    event.requestedBy(),
                    event.requestedAt());
            candidate = TrackedCommand.pending(event, request.idempotencyKey());
        }
        Optional<TrackedCommand> stored = store.insert(candidate);
        if (stored.isEmpty()) {
            // a concurrent request with the same id or key won the insert
            TrackedCommand winner = earlier(request)
                    .orElseThrow(() -> new ApiException(
                            HttpStatus.CONFLICT,
                            "command id " + commandId + " is taken",
                            "command_exists",
                            "commandId"));
            return replay(winner, TrackedCommand.pending(event, request.idempotencyKey()));
        }
        publish(event);
        metrics.requested(event.action());
        return new Submission(stored.get(), false);
    }

    public Optional<TrackedCommand> find(String commandId) {
        return store.find(commandId);
    }

    private Optional<TrackedCommand> earlier(CommandRequest request) {
        if (request.commandId() != null) {
            Optional<TrackedCommand> byId = store.find(request.commandId());
            if (byId.isPresent()) {
                return byId;
            }
        }
        return request.idempotencyKey() == null
                ? Optional.empty()
                : store.findByIdempotencyKey(request.idempotencyKey());
    }

    private static Submission replay(TrackedCommand earlier, TrackedCommand candidate) {
        if (!earlier.sameRequest(candidate)) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "command " + earlier.commandId() + " with this id or "
                            + "Idempotency-Key asked for "
                            + earlier.action().name().toLowerCase(java.util.Locale.ROOT) + " "
                            + earlier.model() + " on host " + earlier.hostId()
                            + "; use a new key for a different command",
                    "idempotency_key_reused",
                    null);
        }
        return new Submission(earlier, true);
    }

    /** The server URL as the host reports it (null for the host's default server); 404/400 when there is none. */
    private static @Nullable String resolve(HostRegistry.Host host, CommandRequest request) {
        if (request.serverUrl() == null) {
            return null;
        }
        return host.telemetry().servers().stream()
                .map(GpuTelemetry.ServerStatus::url)
                .filter(url -> sameUrl(url, request.serverUrl()))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest(
                        "host " + request.hostId() + " reports no inference server at "
                                + request.serverUrl() + "; its servers: "
                                + host.telemetry().servers().stream()
                                        .map(GpuTelemetry.ServerStatus::url)
                                        .toList(),
                        "serverUrl"));
    }

    private @Nullable String checkTarget(CommandRequest request) {
        HostRegistry.Host host = hosts.find(request.hostId())
                .orElseThrow(() -> ApiException.notFound("no telemetry from host '" + request.hostId()
                        + "', so no agent there would act on the command; hosts: "
                        + hosts.all().stream()
                                .map(h -> h.telemetry().hostId())
                                .sorted()
                                .toList()));
        return resolve(host, request);
    }

    private static boolean sameUrl(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private void publish(FleetCommand event) {
        try {
            publisher
                    .publish(CloudEvent.of(SOURCE, event.hostId(), event))
                    .get(settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String why = "could not send the command to " + Topics.FLEET_COMMANDS + " within "
                    + settings.publishTimeout() + ": " + cause;
            store.fail(event.commandId(), why, Instant.now());
            metrics.finished(event.action(), CommandStatus.FAILED);
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    why + "; is Kafka up? The command " + event.commandId()
                            + " is marked failed; send it again with a new key",
                    "fleet_commands_unavailable",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending command " + event.commandId(), e);
        }
    }
}
