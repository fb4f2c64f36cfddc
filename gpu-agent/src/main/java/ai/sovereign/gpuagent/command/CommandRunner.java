package ai.sovereign.gpuagent.command;

import ai.sovereign.events.AuditEvent.Outcome;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.FleetCommandResult.Status;
import ai.sovereign.events.GpuTelemetry.ServerType;
import ai.sovereign.gpuagent.http.ServerCallException;
import ai.sovereign.gpuagent.server.InferenceServer;
import ai.sovereign.gpuagent.server.InferenceServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the model lifecycle commands addressed to this host, each on its own virtual thread: refuses what it
 * must (expired, model outside the allow-list, no such server, not an Ollama server), else reports ACCEPTED, runs
 * it against the Ollama server (pull progress as IN_PROGRESS), and ends with SUCCEEDED or FAILED. A command id seen
 * before is ignored.
 */
@Singleton
public final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final CommandSettings settings;
    private final Pattern allowed;
    private final InferenceServers servers;
    private final OllamaModels ollama;
    private final CommandEvents events;
    private final CommandLedger ledger;
    private final MeterRegistry registry;
    private final Counter duplicates;
    private final Clock clock;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("fleet-command-", 0).factory());

    public CommandRunner(
            CommandSettings settings,
            InferenceServers servers,
            OllamaModels ollama,
            CommandEvents events,
            CommandLedger ledger,
            MeterRegistry registry) {
        this.settings = settings;
        this.allowed = settings.allowPattern();
        this.servers = servers;
        this.ollama = ollama;
        this.events = events;
        this.ledger = ledger;
        this.registry = registry;
        this.duplicates = Counter.builder("agent.commands.duplicates")
                .description("Commands ignored because their id was seen before")
                .register(registry);
        this.clock = Clock.systemUTC();
    }

    /** Takes on {@code command} (already known to be for this host) unless its id was seen before. */
    public void submit(FleetCommand command) {
        if (!ledger.claim(command.commandId())) {
            duplicates.increment();
            LOG.info("command {} ({} {}) seen before; ignored", command.commandId(), command.action(), command.model());
            return;
        }
        workers.execute(() -> run(command));
    }

    /** Refuses a command the agent could not even read, e.g. an action it does not know. */
    public void refuseUnreadable(String commandId, String why) {
        if (ledger.claim(commandId)) {
            events.result(commandId, Status.REFUSED, why, null);
            count("unknown", Status.REFUSED);
        }
    }

    private void run(FleetCommand command) {
        events.requested(command);
        Optional<String> refusal = refusal(command);
        if (refusal.isPresent()) {
            LOG.warn("command {} refused: {}", command.commandId(), refusal.get());
            finish(command, Status.REFUSED, refusal.get(), Outcome.DENIED);
            return;
        }
        InferenceServer server = target(command).orElseThrow();
        events.result(command.commandId(), Status.ACCEPTED, accepted(command, server), null);
        try {
            String done = execute(command, server);
            finish(command, Status.SUCCEEDED, done, Outcome.SUCCESS);
        } catch (ServerCallException e) {
            finish(command, Status.FAILED, e.getMessage(), Outcome.FAILURE);
        } catch (RuntimeException e) {
            LOG.error("command {} failed unexpectedly", command.commandId(), e);
            finish(command, Status.FAILED, "agent error: " + e, Outcome.FAILURE);
        }
    }

    private String execute(FleetCommand command, InferenceServer server) {
        String model = command.model();
        return switch (command.action()) {
            case PULL -> {
                ProgressThrottle throttle = new ProgressThrottle(settings.progressInterval(), clock);
                ollama.pull(server.url(), model, progress -> {
                    if (throttle.shouldReport(progress)) {
                        events.result(command.commandId(), Status.IN_PROGRESS, progress.status(), progress);
                    }
                });
                yield "pulled " + model + " on " + server.url();
            }
            case DELETE -> {
                ollama.delete(server.url(), model);
                yield "deleted " + model + " from " + server.url();
            }
            case PRELOAD -> {
                ollama.preload(server.url(), model, command.keepAlive());
                yield "loaded " + model + " on " + server.url()
                        + (command.keepAlive() == null ? "" : " for keep_alive " + command.keepAlive());
            }
            case UNLOAD -> {
                ollama.unload(server.url(), model);
                yield "unloaded " + model + " on " + server.url();
            }
        };
    }

    private Optional<String> refusal(FleetCommand command) {
        Duration age = Duration.between(command.requestedAt(), Instant.now(clock));
        if (age.compareTo(settings.maxAge()) > 0) {
            return Optional.of("command expired: requested at " + command.requestedAt() + ", older than "
                    + settings.maxAge() + " (gpu-agent.commands.max-age)");
        }
        if (!allowed.matcher(command.model()).matches()) {
            return Optional.of("model \"" + command.model() + "\" is not allowed on this host: it does not match "
                    + "gpu-agent.commands.model-allow-pattern \"" + allowed.pattern() + "\"");
        }
        Optional<InferenceServer> server = target(command);
        if (server.isEmpty()) {
            return Optional.of(
                    command.serverUrl() == null
                            ? "no Ollama server is configured on this host (gpu-agent.servers.*.type: ollama)"
                            : "no inference server with URL " + command.serverUrl() + " is configured on this host");
        }
        if (server.get().type() != ServerType.OLLAMA) {
            return Optional.of("server " + server.get().url() + " speaks "
                    + server.get().type().name().toLowerCase(Locale.ROOT)
                    + "; model lifecycle commands need an Ollama server");
        }
        return Optional.empty();
    }

    private Optional<InferenceServer> target(FleetCommand command) {
        return command.serverUrl() == null ? servers.defaultOllama() : servers.byUrl(command.serverUrl());
    }

    private static String accepted(FleetCommand command, InferenceServer server) {
        return command.action().name().toLowerCase(Locale.ROOT) + " " + command.model() + " on " + server.url();
    }

    private void finish(FleetCommand command, Status status, String message, Outcome outcome) {
        events.result(command.commandId(), status, message, null);
        events.finished(command, outcome, outcome == Outcome.SUCCESS ? null : message);
        count(command.action().name().toLowerCase(Locale.ROOT), status);
        LOG.info("command {} ({} {}) {}: {}", command.commandId(), command.action(), command.model(), status, message);
    }

    private void count(String action, Status status) {
        Counter.builder("agent.commands")
                .description("Commands finished, by action and terminal status")
                .tag("action", action)
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Lets through a status change at once and byte progress at most once per interval. */
    static final class ProgressThrottle {

        private final long intervalNanos;
        private final Clock clock;
        private String lastStatus;
        private long lastReport = Long.MIN_VALUE;

        ProgressThrottle(Duration interval, Clock clock) {
            this.intervalNanos = interval.toNanos();
            this.clock = clock;
        }

        boolean shouldReport(PullProgress progress) {
            long now = clock.instant().toEpochMilli() * 1_000_000L;
            // every layer line ("pulling <digest>") is one phase, throttled; "pulling manifest" and the rest are not
            boolean layer = progress.totalBytes() != null && progress.status().startsWith("pulling ");
            String status = layer ? "pulling layers" : progress.status();
            boolean report =
                    !status.equals(lastStatus) || lastReport == Long.MIN_VALUE || now - lastReport >= intervalNanos;
            if (report) {
                lastStatus = status;
                lastReport = now;
            }
            return report;
        }
    }
}
