package ai.sovereign.backup.api;

import ai.sovereign.backup.audit.BackupAudit;
import ai.sovereign.backup.catalog.BackupCatalog;
import ai.sovereign.backup.catalog.BackupRun;
import ai.sovereign.backup.retention.RetentionResult;
import ai.sovereign.backup.retention.RetentionService;
import ai.sovereign.backup.run.BackupRunner;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.run.RestoreReport;
import ai.sovereign.backup.run.Restores;
import ai.sovereign.backup.run.VerifyReport;
import ai.sovereign.backup.target.SafeNames;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin API under {@code /api/v1/backups}: start, list, show, verify, restore, delete, retention. */
@Controller("/api/v1/backups")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BackupController {

    private final BackupRunner runner;
    private final Restores restores;
    private final RetentionService retention;
    private final BackupCatalog catalog;
    private final Components components;
    private final Targets targets;
    private final JsonMapper json;

    public BackupController(
            BackupRunner runner,
            Restores restores,
            RetentionService retention,
            BackupCatalog catalog,
            Components components,
            Targets targets,
            JsonMapper json) {
        this.runner = runner;
        this.restores = restores;
        this.retention = retention;
        this.catalog = catalog;
        this.components = components;
        this.targets = targets;
        this.json = json;
    }

    @Post
    HttpResponse<BackupView> start(HttpRequest<?> request, @Nullable @Body byte[] body) {
        BackupAudit.Actor actor = admin(request);
        JsonNode in = read(body);
        List<String> names = components.select(strings(in, "components"), "components");
        var target = targets.get(text(in, "target"), "target");
        String folder = SafeNames.folder(text(in, "path"), "path");
        BackupRun run = runner.start(names, target, folder, "manual", actor);
        return HttpResponse.accepted().body(view(run));
    }

    @Get
    BackupList list(HttpRequest<?> request, @QueryValue(defaultValue = "100") String limit) {
        admin(request);
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be an integer 1..1000 (got '" + limit + "')", "limit");
        }
        if (n < 1 || n > 1000) {
            throw ApiException.badRequest("limit must be an integer 1..1000 (got " + n + ")", "limit");
        }
        return BackupList.of(catalog.list(n).stream().map(this::view).toList());
    }

    @Get("/{id}")
    BackupDetail show(HttpRequest<?> request, String id) {
        admin(request);
        BackupRun run = find(id);
        return new BackupDetail(
                view(run), tree(run.manifestJson()), tree(run.verifyResultJson()), tree(run.lastRestoreJson()));
    }

    @Post("/{id}/verify")
    VerifyReport verify(HttpRequest<?> request, String id) {
        BackupAudit.Actor actor = admin(request);
        return restores.verify(SafeNames.runId(id, "id"), actor);
    }

    @Post("/{id}/restore")
    RestoreReport restore(HttpRequest<?> request, String id, @Nullable @Body byte[] body) {
        BackupAudit.Actor actor = admin(request);
        SafeNames.runId(id, "id");
        JsonNode in = read(body);
        String target = text(in, "target");
        if (target == null || !(target.equals("scratch") || target.equals("original"))) {
            throw ApiException.badRequest(
                    "target must be \"scratch\" or \"original\" (got "
                            + (target == null ? "nothing" : "'" + target + "'") + ")",
                    "target");
        }
        Restores.RestoreRequest restore = new Restores.RestoreRequest(
                strings(in, "components"),
                target.equals("original"),
                bool(in, "dry_run", false),
                text(in, "confirm"),
                strings(in, "protected_schemas"),
                text(in, "confirm_protected"));
        return restores.restore(id, restore, actor);
    }

    @Delete("/{id}")
    DeletedBackup delete(HttpRequest<?> request, String id) {
        BackupAudit.Actor actor = admin(request);
        retention.delete(SafeNames.runId(id, "id"), actor);
        return DeletedBackup.of(id);
    }

    @Post("/retention/apply")
    RetentionResult applyRetention(HttpRequest<?> request, @Nullable @Body byte[] body) {
        BackupAudit.Actor actor = admin(request);
        return retention.apply(bool(read(body), "dry_run", true), actor);
    }

    private BackupRun find(String id) {
        SafeNames.runId(id, "id");
        return catalog.find(id).orElseThrow(() -> ApiException.notFound("backup " + id + " does not exist"));
    }

    private BackupView view(BackupRun run) {
        return BackupView.of(run, tree(run.progressJson()));
    }

    private @Nullable Object tree(@Nullable String text) {
        return text == null ? null : json.readValue(text, Object.class);
    }

    private static BackupAudit.Actor admin(HttpRequest<?> request) {
        Caller caller = ServiceTokenFilter.caller(request).require(Role.ADMIN);
        return new BackupAudit.Actor(caller.subject(), AuditEvent.ActorType.OPERATOR, RequestIdFilter.of(request));
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the request body must be a JSON object", null);
            }
            return node;
        } catch (JacksonException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw ApiException.badRequest(field + " must be a string (got " + v + ")", field);
        }
        return v.asString();
    }

    private static boolean bool(JsonNode in, String field, boolean absent) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(field + " must be true or false (got " + v + ")", field);
        }
        return v.asBoolean();
    }

    private static List<String> strings(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(field + " must be an array of strings (got " + v + ")", field);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isString()) {
                throw ApiException.badRequest(field + " must be an array of strings (got " + item + " in it)", field);
            }
            out.add(item.asString());
        }
        return out;
    }
}
