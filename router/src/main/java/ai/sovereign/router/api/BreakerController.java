package ai.sovereign.router.api;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.breaker.BreakerSnapshot;
import ai.sovereign.router.breaker.BreakerState;
import ai.sovereign.router.breaker.CircuitBreaker;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.replication.FleetStateReplication;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.json.FieldChanges;
import ai.sovereign.runtime.security.Caller;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * Circuit breakers per (server, model). Model names may hold {@code :} and {@code /} (sent as {@code %2F} or
 * literally), so the model and the action are taken from the path's tail. Its answers show null and empty fields as
 * such ({@code ALWAYS}), as the maps they replaced did.
 */
@Controller("/api/orchestrator/circuit-breakers")
public class BreakerController {

    private static final List<String> ACTIONS = List.of("open", "close", "half-open", "reset");

    private final BreakerBoard breakers;
    private final FleetRegistry fleet;
    private final AdminAccess admin;
    private final FleetStateReplication replication;

    public BreakerController(
            BreakerBoard breakers, FleetRegistry fleet, AdminAccess admin, FleetStateReplication replication) {
        this.breakers = breakers;
        this.fleet = fleet;
        this.admin = admin;
        this.replication = replication;
    }

    /** Every breaker. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Breakers(List<BreakerSnapshot> breakers) {}

    /** How many breakers of a server a reset returned to automatic and closed. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ServerReset(String serverId, int reset) {}

    @Get
    Breakers all(HttpRequest<?> request) {
        admin.require(request);
        return new Breakers(
                breakers.all().stream().map(CircuitBreaker::snapshot).toList());
    }

    @Get("/{serverId}/{+model}")
    BreakerSnapshot one(HttpRequest<?> request, String serverId, @PathVariable("model") String model) {
        admin.require(request);
        String name = AdminAccess.decode(model);
        return breakers.find(serverId, name)
                .map(CircuitBreaker::snapshot)
                .orElseThrow(() -> ApiException.notFound(
                        "no circuit breaker for server '" + serverId + "' and model '" + name + "'; breakers: "
                                + breakers.all().stream()
                                        .map(b -> b.serverId() + "/" + b.model())
                                        .toList()));
    }

    /** {@code {model}/open|close|half-open|reset}, or {@code reset} for every breaker of the server. */
    @Post("/{serverId}/{+tail}")
    Object act(HttpRequest<?> request, String serverId, @PathVariable("tail") String tail) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        String path = AdminAccess.decode(tail);
        if (path.equals("reset")) {
            fleet.require(serverId);
            List<CircuitBreaker> reset = breakers.ofServer(serverId);
            Map<String, Object> before = states(reset);
            reset.forEach(b -> replication.breaker(b, null, caller.subject()));
            admin.audit(
                    request,
                    caller,
                    "router.breaker.reset",
                    "server",
                    serverId,
                    Map.of(
                            "breakers",
                            reset.size(),
                            "reason",
                            reason,
                            "changes",
                            FieldChanges.between(before, states(reset))));
            return new ServerReset(serverId, reset.size());
        }
        int slash = path.lastIndexOf('/');
        String action = slash < 0 ? "" : path.substring(slash + 1);
        if (slash <= 0 || !ACTIONS.contains(action)) {
            throw ApiException.notFound("use POST circuit-breakers/{serverId}/{model}/open|close|half-open|reset "
                    + "or circuit-breakers/{serverId}/reset (got '" + path + "')");
        }
        String model = path.substring(0, slash);
        fleet.require(serverId);
        CircuitBreaker breaker = breakers.breaker(serverId, model);
        Map<String, Object> before = states(List.of(breaker));
        switch (action) {
            case "open" -> replication.breaker(breaker, BreakerState.OPEN, caller.subject());
            case "close" -> replication.breaker(breaker, BreakerState.CLOSED, caller.subject());
            case "half-open" -> replication.breaker(breaker, BreakerState.HALF_OPEN, caller.subject());
            default -> replication.breaker(breaker, null, caller.subject());
        }
        admin.audit(
                request,
                caller,
                "router.breaker." + action,
                "circuit_breaker",
                serverId + "/" + model,
                Map.of(
                        "state",
                        breaker.state().wireName(),
                        "manual",
                        breaker.manual(),
                        "reason",
                        reason,
                        "changes",
                        FieldChanges.between(before, states(List.of(breaker)))));
        return breaker.snapshot();
    }

    /** Each breaker's state and whether an operator set it, by {@code <model>.state} / {@code <model>.manual}. */
    private static Map<String, Object> states(List<CircuitBreaker> of) {
        Map<String, Object> states = new java.util.LinkedHashMap<>();
        for (CircuitBreaker b : of) {
            states.put(b.model() + ".state", b.state().wireName());
            states.put(b.model() + ".manual", b.manual());
        }
        return states;
    }
}
