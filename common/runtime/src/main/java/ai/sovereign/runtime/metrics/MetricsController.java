package ai.sovereign.runtime.metrics;

import ai.sovereign.runtime.management.ManagementAccess;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /metrics}: every meter of the registry micronaut-micrometer made, in the Prometheus (or OpenMetrics) text
 * format. The module's own endpoint answers at {@code /prometheus} and is switched off: dashboards, alerts, scrape
 * configurations and the launcher read {@code /metrics}. Only with the management token ({@link ManagementAccess}):
 * 401 otherwise.
 */
@Controller
public class MetricsController {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final ManagementAccess access;

    public MetricsController(PrometheusMeterRegistry registry, ManagementAccess access) {
        this.registry = registry;
        this.access = access;
    }

    @Get("/metrics")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> scrape(
            io.micronaut.http.HttpRequest<?> request, @Header(value = "Accept", defaultValue = "") String accept) {
        if (!access.allows(request)) {
            throw new ai.sovereign.runtime.errors.ApiException(
                    io.micronaut.http.HttpStatus.UNAUTHORIZED,
                    "GET /metrics needs the management token: Authorization: Bearer <sovereign.management.token>",
                    "management_token_required",
                    null);
        }
        String contentType = accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : PROMETHEUS_TEXT;
        return HttpResponse.ok(registry.scrape(contentType)).contentType(contentType);
    }
}
