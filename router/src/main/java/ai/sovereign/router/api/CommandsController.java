package ai.sovereign.router.api;

import ai.sovereign.events.FleetCommand;
import ai.sovereign.router.commands.CommandDispatcher;
import ai.sovereign.router.commands.CommandDispatcher.CommandRequest;
import ai.sovereign.router.commands.CommandDispatcher.Submission;
import ai.sovereign.router.commands.CommandStore;
import ai.sovereign.router.commands.TrackedCommand;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model lifecycle commands for a GPU host's agent: {@code POST hosts/{hostId}/models/{model}/pull|delete|preload|unload}
 * answers 202 with the command, {@code GET commands/{id}} tells where it stands, {@code GET commands} lists them.
 * Its answers show null and empty fields as such ({@code ALWAYS}), as the maps they replaced did.
 */
@Controller("/api/orchestrator")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CommandsController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 200;
    /** Ollama's keep_alive: a Go duration ("10m", "1h30m", "-1m") or seconds ("3600", "-1"). */
    private static final Pattern KEEP_ALIVE = Pattern.compile("-?(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h)?)+");

    private final CommandDispatcher dispatcher;
    private final CommandStore store;
    private final AdminAccess admin;
    private final JsonMapper json;

    public CommandsController(CommandDispatcher dispatcher, CommandStore store, AdminAccess admin, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.store = store;
        this.admin = admin;
        this.json = json;
    }

    /**
     * A fleet command as the API shows it; times as ISO-8601 text.
     *
     * @param replayed only in the answer to a POST: whether it gave back a command requested before (same
     *                 Idempotency-Key or commandId); absent elsewhere
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record CommandView(
            String id,
            String hostId,
            String action,
            String model,
            @Nullable String serverUrl,
            @Nullable String keepAlive,
            String status,
            @Nullable String message,
            @Nullable String error,
            Progress progress,
            String requestedBy,
            @Nullable String idempotencyKey,
            String requestedAt,
            String updatedAt,
            @Nullable String finishedAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Boolean replayed) {

        static CommandView of(TrackedCommand c) {
            Double ratio = c.progressRatio();
            if (ratio == null && c.completedBytes() != null && c.totalBytes() != null && c.totalBytes() > 0) {
                ratio = (double) c.completedBytes() / c.totalBytes();
            }
            return new CommandView(
                    c.commandId(),
                    c.hostId(),
                    c.action().name().toLowerCase(Locale.ROOT),
                    c.model(),
                    c.serverUrl(),
                    c.keepAlive(),
                    c.status().wireName(),
                    c.message(),
                    c.error(),
                    new Progress(c.completedBytes(), c.totalBytes(), ratio),
                    c.requestedBy(),
                    c.idempotencyKey(),
                    c.requestedAt().toString(),
                    c.updatedAt().toString(),
                    c.finishedAt() == null ? null : c.finishedAt().toString(),
                    null);
        }

        CommandView withReplayed(boolean replayed) {
            return new CommandView(
                    id,
                    hostId,
                    action,
                    model,
                    serverUrl,
                    keepAlive,
                    status,
                    message,
                    error,
                    progress,
                    requestedBy,
                    idempotencyKey,
                    requestedAt,
                    updatedAt,
                    finishedAt,
                    replayed);
        }
    }

    /** A pull's progress on its current layer, as the agent last reported it; all null before the first report. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Progress(
            @Nullable Long completedBytes,
            @Nullable Long totalBytes,
            @Nullable Double ratio) {}

    /** Commands, newest first. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Commands(List<CommandView> commands) {}

    /** {@code hosts/{hostId}/models/{model}/{action}}; the model may hold {@code :} and {@code /} (encoded or not). */
    @Post("/hosts/{hostId}/models/{+tail}")
    HttpResponse<CommandView> command(
            HttpRequest<?> request, String hostId, @PathVariable("tail") String tail, @Nullable @Body byte[] body) {
        Caller caller = admin.require(request);
        String path = AdminAccess.decode(tail);
        int slash = path.lastIndexOf('/');
        FleetCommand.Action action = slash < 0 ? null : action(path.substring(slash + 1));
        if (action == null) {
            throw ApiException.notFound("use POST /api/orchestrator/hosts/{hostId}/models/{model}/{action} with action "
                    + "pull, delete, preload or unload (got '" + path + "')");
        }
        String model = path.substring(0, slash);
        if (model.isBlank()) {
            throw ApiException.badRequest(
                    "the model name is empty; e.g. POST hosts/" + hostId + "/models/llama3.1:8b/"
                            + action.name().toLowerCase(Locale.ROOT),
                    "model");
        }
        JsonNode options = body == null || body.length == 0 ? json.createObjectNode() : readJson(body);
        String keepAlive = text(options, "keepAlive");
        if (keepAlive != null && action != FleetCommand.Action.PRELOAD) {
            throw ApiException.badRequest(
                    "keepAlive applies to preload only (got it for "
                            + action.name().toLowerCase(Locale.ROOT) + ")",
                    "keepAlive");
        }
        if (keepAlive != null && !KEEP_ALIVE.matcher(keepAlive).matches()) {
            throw ApiException.badRequest(
                    "keepAlive must be a duration like 10m, 1h or -1 (keep loaded) (got '" + keepAlive + "')",
                    "keepAlive");
        }
        String commandId = text(options, "commandId");
        if (commandId != null) {
            try {
                commandId = UUID.fromString(commandId).toString();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("commandId must be a UUID (got '" + commandId + "')", "commandId");
            }
        }
        String key = request.getHeaders().get(IDEMPOTENCY_KEY);
        if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
            throw ApiException.badRequest(
                    IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " characters (got " + key.length() + ")",
                    IDEMPOTENCY_KEY);
        }
        Submission submission = dispatcher.submit(new CommandRequest(
                hostId, action, model, text(options, "serverUrl"), keepAlive, commandId, key, caller.subject()));
        TrackedCommand command = submission.command();
        if (!submission.replayed()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("hostId", hostId);
            details.put("model", model);
            if (command.serverUrl() != null) {
                details.put("serverUrl", command.serverUrl());
            }
            if (keepAlive != null) {
                details.put("keepAlive", keepAlive);
            }
            admin.audit(
                    request,
                    caller,
                    "router.fleet-command." + action.name().toLowerCase(Locale.ROOT),
                    "fleet_command",
                    command.commandId(),
                    details);
        }
        return HttpResponse.<CommandView>status(HttpStatus.ACCEPTED)
                .header(
                        "Location",
                        URI.create("/api/orchestrator/commands/" + command.commandId())
                                .toString())
                .body(CommandView.of(command).withReplayed(submission.replayed()));
    }

    @Get("/commands/{id}")
    CommandView one(HttpRequest<?> request, String id) {
        admin.require(request);
        return CommandView.of(
                dispatcher.find(id).orElseThrow(() -> ApiException.notFound("no fleet command with id '" + id + "'")));
    }

    @Get("/commands")
    Commands list(HttpRequest<?> request, @Nullable @QueryValue String hostId, @Nullable @QueryValue String limit) {
        admin.require(request);
        int max = 50;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > 1000) {
                throw ApiException.badRequest(
                        "limit must be a whole number from 1 to 1000 (got '" + limit + "')", "limit");
            }
        }
        return new Commands(store.recent(hostId == null || hostId.isBlank() ? null : hostId, max).stream()
                .map(CommandView::of)
                .toList());
    }

    private static FleetCommand.@Nullable Action action(String name) {
        for (FleetCommand.Action a : FleetCommand.Action.values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }

    private static @Nullable String text(JsonNode options, String field) {
        JsonNode node = options.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() || node.asString().isBlank()) {
            throw ApiException.badRequest(field + " must be a non-empty string (got " + node + ")", field);
        }
        return node.asString();
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object, e.g. {\"keepAlive\":\"10m\"}", null);
            }
            return node;
        } catch (JacksonException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage(), null);
        }
    }
}
