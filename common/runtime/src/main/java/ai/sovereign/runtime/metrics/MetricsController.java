package ai.sovereign.runtime.metrics;

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
 * configurations and the launcher read {@code /metrics}.
 */
@Controller
public class MetricsController {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get("/metrics")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> scrape(@Header(value = "Accept", defaultValue = "") String accept) {
        String contentType = accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : PROMETHEUS_TEXT;
        return HttpResponse.ok(registry.scrape(contentType)).contentType(contentType);
    }
}
