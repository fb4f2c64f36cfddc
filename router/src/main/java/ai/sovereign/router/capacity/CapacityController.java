package ai.sovereign.router.capacity;

import ai.sovereign.router.analytics.RequestAnalytics;
import ai.sovereign.router.api.AdminAccess;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/orchestrator/capacity/estimate}: how many servers a load needs. Without {@code tokens_per_second}
 * the throughput of one server is measured from the fleet's recent requests: each server's output tokens per second
 * per stream times its {@code maxConcurrency}, averaged over the servers that served in the metrics window.
 */
@Controller("/api/orchestrator/capacity")
public class CapacityController {

    private final RequestAnalytics analytics;
    private final FleetRegistry fleet;
    private final AdminAccess admin;

    public CapacityController(RequestAnalytics analytics, FleetRegistry fleet, AdminAccess admin) {
        this.analytics = analytics;
        this.fleet = fleet;
        this.admin = admin;
    }

    @Get("/estimate")
    CapacityPlanner.Estimate estimate(
            HttpRequest<?> request,
            @Nullable @QueryValue("users") String users,
            @Nullable @QueryValue("requests_per_user_per_minute") String requestsPerUser,
            @Nullable @QueryValue("avg_input_tokens") String input,
            @Nullable @QueryValue("avg_output_tokens") String output,
            @Nullable @QueryValue("tokens_per_second") String tokensPerSecond) {
        admin.require(request);
        CapacityPlanner.Demand demand = new CapacityPlanner.Demand(
                whole(users, "users", null),
                decimal(requestsPerUser, "requests_per_user_per_minute", 1.0),
                whole(input, "avg_input_tokens", null),
                whole(output, "avg_output_tokens", null),
                tokensPerSecond == null ? null : decimal(tokensPerSecond, "tokens_per_second", null));
        long healthy = fleet.all().stream().filter(BackendServer::healthy).count();
        return CapacityPlanner.estimate(demand, measuredTokensPerSecondPerServer(), healthy);
    }

    private @Nullable Double measuredTokensPerSecondPerServer() {
        Map<String, Double> perStream = new HashMap<>();
        Map<String, Integer> pairs = new HashMap<>();
        for (RequestAnalytics.Performance p : analytics.performance()) {
            if (p.tokensPerSecond() > 0) {
                perStream.merge(p.serverId(), p.tokensPerSecond(), Double::sum);
                pairs.merge(p.serverId(), 1, Integer::sum);
            }
        }
        List<Double> servers = fleet.all().stream()
                .filter(s -> perStream.containsKey(s.id()))
                .map(s -> perStream.get(s.id()) / pairs.get(s.id()) * s.spec().maxConcurrency())
                .toList();
        return servers.isEmpty()
                ? null
                : servers.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static long whole(@Nullable String value, String name, @Nullable Long fallback) {
        if (value == null || value.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw ApiException.badRequest(name + " is required", name);
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number (got '" + value + "')", name);
        }
    }

    private static double decimal(@Nullable String value, String name, @Nullable Double fallback) {
        if (value == null || value.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw ApiException.badRequest(name + " is required", name);
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!Double.isFinite(parsed)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number (got '" + value + "')", name);
        }
    }
}
