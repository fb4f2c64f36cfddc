package ai.sovereign.audit.usage;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.query.QueryParams;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/audit/usage?group_by=key|tenant|model|day&from=&to=}: requests, prompt and completion tokens,
 * errors and p95 latency per group, over the requests started in {@code [from, to)}.
 */
@Controller("/api/v1/audit/usage")
public class UsageController {

    private final UsageQuery query;

    public UsageController(UsageQuery query) {
        this.query = query;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public UsageReport usage(HttpRequest<?> request) throws SQLException {
        ServiceTokenFilter.caller(request).require(Role.AUDITOR, Role.ADMIN);
        QueryParams params = QueryParams.of(request.getParameters(), Set.of("group_by", "from", "to"));
        UsageGrouping grouping = UsageGrouping.parse(params.text("group_by")
                .orElseThrow(() ->
                        ApiException.badRequest("group_by: required, one of key, tenant, model, day", "group_by")));
        Optional<Instant> from = params.instant("from");
        Optional<Instant> to = params.instant("to");
        QueryParams.requireOrdered(from, to);
        return new UsageReport(
                grouping.wireName(),
                from.map(AuditEntry::formatTime).orElse(null),
                to.map(AuditEntry::formatTime).orElse(null),
                query.totals(grouping, from.orElse(null), to.orElse(null)));
    }
}
