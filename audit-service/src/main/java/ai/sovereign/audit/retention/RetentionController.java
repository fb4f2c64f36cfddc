package ai.sovereign.audit.retention;

import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.sql.SQLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/audit/retention/apply {"dry_run": true|false}} (admin): exports and drops the partitions past
 * the retention policy, or with {@code dry_run} (the default) only lists them.
 */
@Controller("/api/v1/audit/retention")
public class RetentionController {

    private final RetentionService retention;
    private final JsonMapper json;

    public RetentionController(RetentionService retention, JsonMapper json) {
        this.retention = retention;
        this.json = json;
    }

    @Post("/apply")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public RetentionReport apply(HttpRequest<?> request, @Body @Nullable String body) throws SQLException, IOException {
        Caller caller = ServiceTokenFilter.caller(request).require(Role.ADMIN);
        return retention.apply(dryRun(body), caller.subject());
    }

    private boolean dryRun(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return true;
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body must be a JSON object like {\"dry_run\": false}", null);
        }
        if (!request.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object like {\"dry_run\": false}", null);
        }
        JsonNode dryRun = request.get("dry_run");
        if (dryRun == null || dryRun.isNull()) {
            return true;
        }
        if (!dryRun.isBoolean()) {
            throw ApiException.badRequest("dry_run: must be true or false (got " + dryRun + ")", "dry_run");
        }
        return dryRun.asBoolean();
    }
}
