package ai.sovereign.gateway.limits;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import ai.sovereign.runtime.replicas.ReplicaShare;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code limits} component of {@code /health}: whether the key limits are shared with the other gateway replicas
 * through PostgreSQL or, PostgreSQL unreachable, this replica counts its local share alone. Always UP (requests are
 * still served and limited), with the mode in its details and in the {@code gateway_limits_shared} gauge (1 shared, 0
 * local share).
 */
@Singleton
public class SharedLimitsHealthCheck implements HealthCheck {

    private final QuotaSlices slices;

    public SharedLimitsHealthCheck(QuotaSlices slices, MeterRegistry registry) {
        this.slices = slices;
        Gauge.builder("gateway.limits.shared", slices, s -> s.shared() ? 1 : 0)
                .description("1 while key limits are shared by the gateway replicas through PostgreSQL, 0 while this"
                        + " replica counts its local share alone")
                .register(registry);
    }

    @Override
    public String name() {
        return "limits";
    }

    @Override
    public CheckResult check() {
        ReplicaShare share = slices.replicaShare();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", slices.shared() ? "shared" : "local-share");
        details.put("gatewayReplicas", share.live());
        if (!slices.shared()) {
            details.put("localShare", "1/" + share.live() + " of each RPM and TPM limit");
            details.put("error", slices.storeError());
        }
        return CheckResult.up(details);
    }
}
