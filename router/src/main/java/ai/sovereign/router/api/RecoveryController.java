package ai.sovereign.router.api;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.breaker.BreakerSnapshot;
import ai.sovereign.router.breaker.CircuitBreaker;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.recovery.Ban;
import ai.sovereign.router.recovery.BanList;
import ai.sovereign.router.recovery.RecoveryLog;
import ai.sovereign.router.recovery.RecoveryTester;
import ai.sovereign.router.replication.FleetStateReplication;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Recovery tests, their failures (history, analysis, breaker impact) and the bans they lead to. Its answers show null
 * and empty fields as such ({@code ALWAYS}), as the maps they replaced did.
 */
@Controller("/api/orchestrator")
public class RecoveryController {

    private final RecoveryLog log;
    private final RecoveryTester tester;
    private final BanList bans;
    private final BreakerBoard breakers;
    private final FleetRegistry fleet;
    private final AdminAccess admin;
    private final FleetStateReplication replication;

    public RecoveryController(
            RecoveryLog log,
            RecoveryTester tester,
            BanList bans,
            BreakerBoard breakers,
            FleetRegistry fleet,
            AdminAccess admin,
            FleetStateReplication replication) {
        this.log = log;
        this.tester = tester;
        this.bans = bans;
        this.breakers = breakers;
        this.fleet = fleet;
        this.admin = admin;
        this.replication = replication;
    }

    /** Every server's recovery-test record. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Summaries(List<RecoveryLog.Summary> servers) {}

    /** A server's kept recovery-test failures, oldest first. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record History(String serverId, List<RecoveryLog.Failure> failures) {}

    /** What a server's breakers cost: per breaker and in total. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record BreakerImpact(String serverId, List<Impact> breakers, long requestsRefused, long timeOpenMs) {}

    /** One breaker: its state, how long it has been open (or half-open) and how many requests it turned away. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Impact(String model, String state, long timeOpenMs, long timesOpened, long requestsRefused) {

        static Impact of(BreakerSnapshot s) {
            return new Impact(s.model(), s.state(), s.timeOpenMs(), s.timesOpened(), s.requestsRefused());
        }
    }

    /** A server whose recovery-test record was cleared. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Reset(String serverId, boolean reset) {}

    /** The bans in force. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Bans(List<Ban> bans) {}

    /** How many bans were lifted, and those still in force. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Cleared(int cleared, List<Ban> bans) {}

    @Get("/recovery-failures")
    Summaries failures(HttpRequest<?> request) {
        admin.require(request);
        return new Summaries(log.summaries());
    }

    @Get("/recovery-failures/{serverId}")
    RecoveryLog.Summary failures(HttpRequest<?> request, String serverId) {
        admin.require(request);
        return log.summary(serverId);
    }

    @Get("/recovery-failures/{serverId}/history")
    History history(HttpRequest<?> request, String serverId) {
        admin.require(request);
        return new History(serverId, log.history(serverId));
    }

    @Get("/recovery-failures/{serverId}/analysis")
    RecoveryLog.Analysis analysis(HttpRequest<?> request, String serverId) {
        admin.require(request);
        return log.analysis(serverId);
    }

    /** Per breaker of the server: how long it has been open and how many requests it turned away. */
    @Get("/recovery-failures/{serverId}/circuit-breaker-impact")
    BreakerImpact impact(HttpRequest<?> request, String serverId) {
        admin.require(request);
        List<Impact> impact = breakers.ofServer(serverId).stream()
                .map(CircuitBreaker::snapshot)
                .map(Impact::of)
                .toList();
        return new BreakerImpact(
                serverId,
                impact,
                impact.stream().mapToLong(Impact::requestsRefused).sum(),
                impact.stream().mapToLong(Impact::timeOpenMs).sum());
    }

    @Post("/recovery-failures/{serverId}/reset")
    Reset reset(HttpRequest<?> request, String serverId) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        log.reset(serverId);
        admin.audit(request, caller, "router.recovery-failures.reset", "server", serverId, Map.of("reason", reason));
        return new Reset(serverId, true);
    }

    /** {@code servers/{serverId}/models/{model}/recovery-test}: one test now. */
    @Post("/servers/{serverId}/models/{+tail}")
    CompletableFuture<RecoveryTester.Outcome> test(
            HttpRequest<?> request, String serverId, @PathVariable("tail") String tail) {
        Caller caller = admin.require(request);
        String path = AdminAccess.decode(tail);
        if (!path.endsWith("/recovery-test")) {
            throw ApiException.notFound(
                    "use POST servers/{serverId}/models/{model}/recovery-test (got '" + path + "')");
        }
        String model = path.substring(0, path.length() - "/recovery-test".length());
        BackendServer server = fleet.require(serverId);
        admin.audit(
                request,
                caller,
                "router.recovery-test",
                "circuit_breaker",
                serverId + "/" + model,
                Map.of("reason", AdminAccess.reason(request)));
        return tester.test(server, model);
    }

    @Get("/bans")
    Bans bans(HttpRequest<?> request) {
        admin.require(request);
        return new Bans(bans.active());
    }

    @Delete("/bans")
    Cleared clearAll(HttpRequest<?> request) {
        return clear(request, "all", b -> true);
    }

    @Delete("/bans/server/{serverId}")
    Cleared clearServer(HttpRequest<?> request, String serverId) {
        return clear(request, "server/" + serverId, b -> b.serverId().equals(serverId));
    }

    @Delete("/bans/model/{+model}")
    Cleared clearModel(HttpRequest<?> request, @PathVariable("model") String model) {
        String name = AdminAccess.decode(model);
        return clear(request, "model/" + name, b -> b.model().equals(name));
    }

    @Delete("/bans/{serverId}/{+model}")
    Cleared clearPair(HttpRequest<?> request, String serverId, @PathVariable("model") String model) {
        String name = AdminAccess.decode(model);
        return clear(
                request,
                serverId + "/" + name,
                b -> b.serverId().equals(serverId) && b.model().equals(name));
    }

    private Cleared clear(HttpRequest<?> request, String which, java.util.function.Predicate<Ban> filter) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        List<Map<String, Object>> lifted = bans.active().stream()
                .filter(filter)
                .map(b -> Map.<String, Object>of(
                        "server", b.serverId(),
                        "model", b.model(),
                        "banned_for", b.reason(),
                        "until", b.until().toString()))
                .toList();
        replication.bansCleared(which, caller.subject());
        int cleared = bans.clearWhere(filter);
        admin.audit(
                request,
                caller,
                "router.ban.clear",
                "ban",
                which,
                Map.of("cleared", cleared, "reason", reason, "bans", lifted));
        return new Cleared(cleared, bans.active());
    }
}
