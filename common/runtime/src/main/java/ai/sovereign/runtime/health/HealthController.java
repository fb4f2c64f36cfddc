package ai.sovereign.runtime.health;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /health}: the overall status and one component per dependency, each with its details. HTTP 200 when
 * every component is UP, 503 when any is DOWN, so load balancers and Kubernetes probes act on it directly.
 */
@Controller
public class HealthController {

    private final List<HealthCheck> checks;
    private final String service;

    public HealthController(List<HealthCheck> checks, @Value("${micronaut.application.name:service}") String service) {
        this.checks = checks;
        this.service = service;
    }

    @Get("/health")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<HealthReport> health() {
        Map<String, HealthResult> components = new TreeMap<>();
        checks.parallelStream().forEach(check -> {
            HealthResult result;
            try {
                result = check.check();
            } catch (RuntimeException e) {
                result = HealthResult.down(Map.of("error", String.valueOf(e.getMessage())));
            }
            synchronized (components) {
                components.put(check.name(), result);
            }
        });
        boolean up = components.values().stream().allMatch(r -> r.status() == HealthResult.Status.UP);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        HealthReport report = new HealthReport(up ? HealthResult.Status.UP : HealthResult.Status.DOWN, service, uptime,
                components);
        return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(report);
    }
}
