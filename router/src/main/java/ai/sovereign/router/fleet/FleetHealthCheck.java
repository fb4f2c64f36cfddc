package ai.sovereign.router.fleet;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inference servers as a {@code /health} component: DOWN when the fleet has servers, every one has been
 * checked and none is healthy (no request can be served); UP otherwise, with healthy/total and each unhealthy server's last error.
 */
@Singleton
public class FleetHealthCheck implements HealthCheck {

    private final FleetRegistry fleet;

    public FleetHealthCheck(FleetRegistry fleet) {
        this.fleet = fleet;
    }

    @Override
    public String name() {
        return "inference-servers";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        long healthy = fleet.all().stream().filter(BackendServer::healthy).count();
        int total = fleet.all().size();
        details.put("healthy", healthy);
        details.put("total", total);
        for (BackendServer server : fleet.all()) {
            if (!server.healthy()) {
                details.put(
                        server.id(), server.status() + (server.lastError() == null ? "" : ": " + server.lastError()));
            }
        }
        boolean allChecked = fleet.all().stream().allMatch(BackendServer::checked);
        return total > 0 && healthy == 0 && allChecked ? CheckResult.down(details) : CheckResult.up(details);
    }
}
