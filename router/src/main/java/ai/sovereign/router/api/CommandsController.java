package ai.sovereign.router.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import ai.sovereign.events.FleetCommand;
import ai.sovereign.router.commands.CommandDispatcher;
import ai.sovereign.router.commands.CommandDispatcher.CommandRequest;
import ai.sovereign.router.commands.CommandDispatcher.Submission;
import ai.sovereign.router.commands.CommandStore;
import ai.sovereign.router.commands.TrackedCommand;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model lifecycle commands for a GPU host's agent: {@code POST hosts/{hostId}/models/{model}/pull|delete|preload|unload}
 * answers 202 with the command, {@code GET commands/{id}} tells where it stands, {@code GET commands} lists them.
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

    /** {@code hosts/{hostId}/models/{model}/{action}}; the model may hold {@code :} and {@code /} (encoded or not). */
    @Post("/hosts/{hostId}/models/{+tail}")
    HttpResponse<Map<String, Object>> command(HttpRequest<?> request, String hostId, @PathVariable("tail") String tail,
                                              @Nullable @Body byte[] body) {
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
            throw ApiException.badRequest("the model name is empty; e.g. POST hosts/" + hostId + "/models/llama3.1:8b/"
                    + action.name().toLowerCase(Locale.ROOT), "model");
        }
        JsonNode options = body == null || body.length == 0 ? json.createObjectNode() : readJson(body);
        String keepAlive = text(options, "keepAlive");
        if (keepAlive != null && action != FleetCommand.Action.PRELOAD) {
            throw ApiException.badRequest("keepAlive applies to preload only (got it for "
                    + action.name().toLowerCase(Locale.ROOT) + ")", "keepAlive");
        }
        if (keepAlive != null && !KEEP_ALIVE.matcher(keepAlive).matches()) {
            throw ApiException.badRequest("keepAlive must be a duration like 10m, 1h or -1 (keep loaded) (got '"
                    + keepAlive + "')", "keepAlive");
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
            throw ApiException.badRequest(IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " characters (got "
                    + key.length() + ")", IDEMPOTENCY_KEY);
        }
        Submission submission = dispatcher.submit(new CommandRequest(hostId, action, model, text(options, "serverUrl"),
                keepAlive, commandId, key, caller.subject()));
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
            admin.audit(request, caller, "router.fleet-command." + action.name().toLowerCase(Locale.ROOT),
                    "fleet_command", command.commandId(), details);
        }
        Map<String, Object> view = view(command);
        view.put("replayed", submission.replayed());
        return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
                .header("Location", URI.create("/api/orchestrator/commands/" + command.commandId()).toString())
                .body(view);
    }

    @Get("/commands/{id}")
    Map<String, Object> one(HttpRequest<?> request, String id) {
        admin.require(request);
        return view(dispatcher.find(id).orElseThrow(() -> ApiException.notFound("no fleet command with id '" + id + "'")));
    }

    @Get("/commands")
    Map<String, Object> list(HttpRequest<?> request, @Nullable @QueryValue String hostId, @Nullable @QueryValue String limit) {
        admin.require(request);
        int max = 50;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > 1000) {
                throw ApiException.badRequest("limit must be a whole number from 1 to 1000 (got '" + limit + "')", "limit");
            }
        }
        return Map.of("commands", store.recent(hostId == null || hostId.isBlank() ? null : hostId, max).stream()
                .map(CommandsController::view).toList());
    }

    static Map<String, Object> view(TrackedCommand c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.commandId());
        m.put("hostId", c.hostId());
        m.put("action", c.action().name().toLowerCase(Locale.ROOT));
        m.put("model", c.model());
        m.put("serverUrl", c.serverUrl());
        m.put("keepAlive", c.keepAlive());
        m.put("status", c.status().wireName());
        m.put("message", c.message());
        m.put("error", c.error());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("completedBytes", c.completedBytes());
        progress.put("totalBytes", c.totalBytes());
        Double ratio = c.progressRatio();
        if (ratio == null && c.completedBytes() != null && c.totalBytes() != null && c.totalBytes() > 0) {
            ratio = (double) c.completedBytes() / c.totalBytes();
        }
        progress.put("ratio", ratio);
        m.put("progress", progress);
        m.put("requestedBy", c.requestedBy());
        m.put("idempotencyKey", c.idempotencyKey());
        m.put("requestedAt", c.requestedAt().toString());
        m.put("updatedAt", c.updatedAt().toString());
        m.put("finishedAt", c.finishedAt() == null ? null : c.finishedAt().toString());
        return m;
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
