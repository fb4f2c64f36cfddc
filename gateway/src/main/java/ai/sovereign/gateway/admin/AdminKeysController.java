package ai.sovereign.gateway.admin;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.audit.GatewayAudit;
import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.keys.ApiKey;
import ai.sovereign.gateway.keys.KeyJson;
import ai.sovereign.gateway.keys.KeyService;
import ai.sovereign.gateway.keys.KeySpec;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The admin API for keys ({@code /admin/keys}); admin role only; every call is audited with its outcome. */
@Controller("/admin/keys")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.ALL)
public class AdminKeysController {

    private final KeyService keys;
    private final RequestAuthenticator authenticator;
    private final GatewayAudit audit;

    public AdminKeysController(KeyService keys, RequestAuthenticator authenticator, GatewayAudit audit) {
        this.keys = keys;
        this.authenticator = authenticator;
        this.audit = audit;
    }

    @Post
    public HttpResponse<String> create(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return admin(request, "key.create", "new", admin -> {
            KeyService.IssuedKey issued = keys.create(
                    KeySpec.forCreate(JsonBodies.parseObject(body)), admin.key().idString());
            return new Done(
                    json(HttpStatus.CREATED, KeyJson.issued(issued))
                            .header("X-Key-Id", issued.key().idString()),
                    Map.of("key", KeyJson.policy(issued.key())));
        });
    }

    @Get
    public HttpResponse<String> list(HttpRequest<?> request, @QueryValue @Nullable String tenant) {
        return admin(request, "key.list", tenant == null ? "*" : tenant, admin -> {
            ObjectNode page = JsonBodies.MAPPER.createObjectNode();
            page.put("object", "list");
            ArrayNode data = page.putArray("data");
            keys.list(tenant).forEach(key -> data.add(KeyJson.of(key)));
            return new Done(json(HttpStatus.OK, page), Map.of());
        });
    }

    @Get("/{id}")
    public HttpResponse<String> get(HttpRequest<?> request, String id) {
        return admin(
                request,
                "key.read",
                id,
                admin -> new Done(json(HttpStatus.OK, KeyJson.of(keys.get(parseId(id)))), Map.of()));
    }

    @Patch("/{id}")
    public HttpResponse<String> update(HttpRequest<?> request, String id, @Body @Nullable byte[] body) {
        return admin(request, "key.update", id, admin -> {
            UUID keyId = parseId(id);
            KeySpec patch = KeySpec.forPatch(JsonBodies.parseObject(body));
            ApiKey before = keys.get(keyId);
            ApiKey updated = keys.update(keyId, patch);
            return new Done(
                    json(HttpStatus.OK, KeyJson.of(updated)),
                    Map.of("changes", KeyJson.changes(before, updated), "key", KeyJson.policy(updated)));
        });
    }

    @Delete("/{id}")
    public HttpResponse<String> revoke(HttpRequest<?> request, String id) {
        return admin(request, "key.revoke", id, admin -> {
            UUID keyId = parseId(id);
            boolean revokedNow = keys.revoke(keyId);
            ApiKey revoked = keys.get(keyId);
            ObjectNode node = KeyJson.of(revoked);
            node.put("revoked_now", revokedNow);
            return new Done(
                    json(HttpStatus.OK, node), Map.of("key", KeyJson.policy(revoked), "revoked_now", revokedNow));
        });
    }

    @Post("/{id}/rotate")
    public HttpResponse<String> rotate(HttpRequest<?> request, String id) {
        return admin(request, "key.rotate", id, admin -> {
            KeyService.IssuedKey rotated = keys.rotate(parseId(id));
            return new Done(
                    json(HttpStatus.OK, KeyJson.issued(rotated)),
                    Map.of(
                            "key",
                            KeyJson.policy(rotated.key()),
                            "new_key_prefix",
                            rotated.key().keyPrefix()));
        });
    }

    /** An answer and what the audit event records of it besides its status (never a key's secret). */
    private record Done(HttpResponse<String> response, Map<String, Object> details) {}

    /**
     * Authenticates an admin, runs {@code call}, and audits the call with its outcome: who, which key, and what
     * changed (the key's name, tenant, role, models, limits and expiry; before and after of an update).
     */
    private HttpResponse<String> admin(
            HttpRequest<?> request, String action, String resourceId, Function<KeyContext, Done> call) {
        KeyContext admin = authenticator.authenticate(request, Role.ADMIN);
        try {
            Done done = call.apply(admin);
            HttpResponse<String> response = done.response();
            Map<String, Object> details = new java.util.LinkedHashMap<>(done.details());
            details.put("status", response.code());
            String resource = response.getHeaders().get("X-Key-Id") != null
                    ? response.getHeaders().get("X-Key-Id")
                    : resourceId;
            audit.record(
                    admin.actor(),
                    action,
                    "api_key",
                    resource,
                    AuditEvent.Outcome.SUCCESS,
                    null,
                    admin.origin(),
                    details);
            return response;
        } catch (ApiException e) {
            audit.record(
                    admin.actor(),
                    action,
                    "api_key",
                    resourceId,
                    AuditEvent.Outcome.FAILURE,
                    e.getMessage(),
                    admin.origin(),
                    Map.of("status", e.status().getCode()));
            throw e;
        }
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no API key with id " + id);
        }
    }

    private static io.micronaut.http.MutableHttpResponse<String> json(HttpStatus status, ObjectNode body) {
        return HttpResponse.<String>status(status)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(JsonBodies.MAPPER.writeValueAsString(body));
    }
}
