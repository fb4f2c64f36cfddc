package ai.sovereign.router.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.breaker.CircuitBreaker;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.recovery.Ban;
import ai.sovereign.router.recovery.BanList;
import ai.sovereign.router.recovery.RecoveryLog;
import ai.sovereign.router.recovery.RecoveryTester;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

/** Recovery tests, their failures (history, analysis, breaker impact) and the bans they lead to. */
@Controller("/api/orchestrator")
public class RecoveryController {

    private final RecoveryLog log;
    private final RecoveryTester tester;
    private final BanList bans;
    private final BreakerBoard breakers;
    private final FleetRegistry fleet;
    private final AdminAccess admin;

    public RecoveryController(RecoveryLog log, RecoveryTester tester, BanList bans, BreakerBoard breakers,
                              FleetRegistry fleet, AdminAccess admin) {
        this.log = log;
        this.tester = tester;
        this.bans = bans;
        this.breakers = breakers;
        this.fleet = fleet;
        this.admin = admin;
    }

    @Get("/recovery-failures")
    Map<String, Object> failures(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("servers", log.summaries());
    }

    @Get("/recovery-failures/{serverId}")
    RecoveryLog.Summary failures(HttpRequest<?> request, String serverId) {
        admin.require(request);
        return log.summary(serverId);
    }

    @Get("/recovery-failures/{serverId}/history")
    Map<String, Object> history(HttpRequest<?> request, String serverId) {
        admin.require(request);
        return Map.of("serverId", serverId, "failures", log.history(serverId));
    }

    @Get("/recovery-failures/{serverId}/analysis")
    RecoveryLog.Analysis analysis(HttpRequest<?> request, String serverId) {
        admin.require(request);
        return log.analysis(serverId);
    }

    /** Per breaker of the server: how long it has been open and how many requests it turned away. */
    @Get("/recovery-failures/{serverId}/circuit-breaker-impact")
    Map<String, Object> impact(HttpRequest<?> request, String serverId) {
        admin.require(request);
        List<Map<String, Object>> impact = breakers.ofServer(serverId).stream().map(CircuitBreaker::snapshot)
                .map(s -> Map.<String, Object>of("model", s.model(), "state", s.state(), "timeOpenMs", s.timeOpenMs(),
                        "timesOpened", s.timesOpened(), "requestsRefused", s.requestsRefused()))
                .toList();
        long refused = impact.stream().mapToLong(m -> (long) m.get("requestsRefused")).sum();
        long open = impact.stream().mapToLong(m -> (long) m.get("timeOpenMs")).sum();
        return Map.of("serverId", serverId, "breakers", impact, "requestsRefused", refused, "timeOpenMs", open);
    }

    @Post("/recovery-failures/{serverId}/reset")
    Map<String, Object> reset(HttpRequest<?> request, String serverId) {
        Caller caller = admin.require(request);
        log.reset(serverId);
        admin.audit(request, caller, "router.recovery-failures.reset", "server", serverId, Map.of());
        return Map.of("serverId", serverId, "reset", true);
    }

    /** {@code servers/{serverId}/models/{model}/recovery-test}: one test now. */
    @Post("/servers/{serverId}/models/{+tail}")
    CompletableFuture<RecoveryTester.Outcome> test(HttpRequest<?> request, String serverId, @PathVariable("tail") String tail) {
        Caller caller = admin.require(request);
        String path = AdminAccess.decode(tail);
        if (!path.endsWith("/recovery-test")) {
            throw ApiException.notFound("use POST servers/{serverId}/models/{model}/recovery-test (got '" + path + "')");
        }
        String model = path.substring(0, path.length() - "/recovery-test".length());
        BackendServer server = fleet.require(serverId);
        admin.audit(request, caller, "router.recovery-test", "circuit_breaker", serverId + "/" + model, Map.of());
        return tester.test(server, model);
    }

    @Get("/bans")
    Map<String, Object> bans(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("bans", bans.active());
    }

    @Delete("/bans")
    Map<String, Object> clearAll(HttpRequest<?> request) {
        return clear(request, "all", b -> true);
    }

    @Delete("/bans/server/{serverId}")
    Map<String, Object> clearServer(HttpRequest<?> request, String serverId) {
        return clear(request, "server/" + serverId, b -> b.serverId().equals(serverId));
    }

    @Delete("/bans/model/{+model}")
    Map<String, Object> clearModel(HttpRequest<?> request, @PathVariable("model") String model) {
        String name = AdminAccess.decode(model);
        return clear(request, "model/" + name, b -> b.model().equals(name));
    }

    @Delete("/bans/{serverId}/{+model}")
    Map<String, Object> clearPair(HttpRequest<?> request, String serverId, @PathVariable("model") String model) {
        String name = AdminAccess.decode(model);
        return clear(request, serverId + "/" + name, b -> b.serverId().equals(serverId) && b.model().equals(name));
    }

    private Map<String, Object> clear(HttpRequest<?> request, String which, java.util.function.Predicate<Ban> filter) {
        Caller caller = admin.require(request);
        int cleared = bans.clearWhere(filter);
        admin.audit(request, caller, "router.ban.clear", "ban", which, Map.of("cleared", cleared));
        return Map.of("cleared", cleared, "bans", bans.active());
    }
}
