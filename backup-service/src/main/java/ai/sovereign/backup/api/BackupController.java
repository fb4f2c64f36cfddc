package ai.sovereign.backup.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.sovereign.backup.audit.BackupAudit;
import ai.sovereign.backup.catalog.BackupCatalog;
import ai.sovereign.backup.catalog.BackupRun;
import ai.sovereign.backup.retention.RetentionService;
import ai.sovereign.backup.run.BackupRunner;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.run.Restores;
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

    public BackupController(BackupRunner runner, Restores restores, RetentionService retention, BackupCatalog catalog, Components components,
                            Targets targets, JsonMapper json) {
        this.runner = runner;
        this.restores = restores;
        this.retention = retention;
        this.catalog = catalog;
        this.components = components;
        this.targets = targets;
        this.json = json;
    }

    @Post
    HttpResponse<Map<String, Object>> start(HttpRequest<?> request, @Nullable @Body byte[] body) {
        BackupAudit.Actor actor = admin(request);
        JsonNode in = read(body);
        List<String> names = components.select(strings(in, "components"), "components");
        var target = targets.get(text(in, "target"), "target");
        String folder = SafeNames.folder(text(in, "path"), "path");
        BackupRun run = runner.start(names, target, folder, "manual", actor);
        return HttpResponse.accepted().body(view(run, false));
    }

    @Get
    Map<String, Object> list(HttpRequest<?> request, @QueryValue(defaultValue = "100") String limit) {
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
        return Map.of("object", "list", "data", catalog.list(n).stream().map(r -> view(r, false)).toList());
    }

    @Get("/{id}")
    Map<String, Object> show(HttpRequest<?> request, String id) {
        admin(request);
        return view(find(id), true);
    }

    @Post("/{id}/verify")
    Map<String, Object> verify(HttpRequest<?> request, String id) {
        BackupAudit.Actor actor = admin(request);
        return restores.verify(SafeNames.runId(id, "id"), actor);
    }

    @Post("/{id}/restore")
    Map<String, Object> restore(HttpRequest<?> request, String id, @Nullable @Body byte[] body) {
        BackupAudit.Actor actor = admin(request);
        SafeNames.runId(id, "id");
        JsonNode in = read(body);
        String target = text(in, "target");
        if (target == null || !(target.equals("scratch") || target.equals("original"))) {
            throw ApiException.badRequest("target must be \"scratch\" or \"original\" (got " + (target == null ? "nothing" : "'" + target + "'") + ")", "target");
        }
        Restores.RestoreRequest restore = new Restores.RestoreRequest(strings(in, "components"), target.equals("original"),
                bool(in, "dry_run", false), text(in, "confirm"));
        return restores.restore(id, restore, actor);
    }

    @Delete("/{id}")
    Map<String, Object> delete(HttpRequest<?> request, String id) {
        BackupAudit.Actor actor = admin(request);
        retention.delete(SafeNames.runId(id, "id"), actor);
        return Map.of("id", id, "object", "backup", "deleted", true);
    }

    @Post("/retention/apply")
    Map<String, Object> applyRetention(HttpRequest<?> request, @Nullable @Body byte[] body) {
        BackupAudit.Actor actor = admin(request);
        return retention.apply(bool(read(body), "dry_run", true), actor);
    }

    private BackupRun find(String id) {
        SafeNames.runId(id, "id");
        return catalog.find(id).orElseThrow(() -> ApiException.notFound("backup " + id + " does not exist"));
    }

    private Map<String, Object> view(BackupRun run, boolean full) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id());
        out.put("object", "backup");
        out.put("status", run.status().wire());
        out.put("components", run.components());
        out.put("target", run.target());
        out.put("location", run.location());
        out.put("trigger", run.trigger());
        out.put("started_at", run.startedAt().toString());
        out.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
        out.put("size_bytes", run.sizeBytes());
        out.put("error", run.error());
        out.put("verify_status", run.verifyStatus());
        out.put("verified_at", run.verifiedAt() == null ? null : run.verifiedAt().toString());
        out.put("progress", tree(run.progressJson()));
        if (full) {
            out.put("manifest", tree(run.manifestJson()));
            out.put("verify_result", tree(run.verifyResultJson()));
            out.put("last_restore", tree(run.lastRestoreJson()));
        }
        return out;
    }

    private Object tree(String text) {
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
