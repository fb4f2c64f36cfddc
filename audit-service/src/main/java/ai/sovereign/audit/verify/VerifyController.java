package ai.sovereign.audit.verify;

import ai.sovereign.audit.query.QueryParams;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/audit/verify?from=&to=}: walks the chains and checkpoints and answers {@code OK} with counts or
 * {@code BROKEN} with the first broken link. HTTP 200 either way: the verification itself succeeded.
 */
@Controller("/api/v1/audit/verify")
public class VerifyController {

    private final ChainVerifier verifier;
    private final VerificationStatus status;

    public VerifyController(ChainVerifier verifier, VerificationStatus status) {
        this.verifier = verifier;
        this.status = status;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public VerifyReport verify(HttpRequest<?> request) throws SQLException, IOException {
        ServiceTokenFilter.caller(request).require(Role.AUDITOR, Role.ADMIN);
        QueryParams params = QueryParams.of(request.getParameters(), Set.of("from", "to"));
        Optional<Instant> from = params.instant("from");
        Optional<Instant> to = params.instant("to");
        QueryParams.requireOrdered(from, to);
        VerifyReport report = verifier.verify(from, to);
        if (!report.ok()) {
            status.failed();
        }
        if (from.isEmpty() && to.isEmpty()) {
            status.record(report); // a whole-trail check is as good as the periodic one
        }
        return report;
    }
}
