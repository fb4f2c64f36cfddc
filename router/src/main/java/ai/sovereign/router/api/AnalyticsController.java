package ai.sovereign.router.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.sovereign.router.analytics.RequestAnalytics;
import ai.sovereign.router.balance.PrefixAffinity;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.queue.SlotScheduler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** What the fleet did recently (the {@code metrics.windowMs} window), and the Prometheus scrape. */
@Controller("/api/orchestrator")
public class AnalyticsController {

    private final RequestAnalytics analytics;
    private final FleetRegistry fleet;
    private final SlotScheduler scheduler;
    private final PrometheusMeterRegistry registry;
    private final AdminAccess admin;
    private final PrefixAffinity affinity;

    public AnalyticsController(RequestAnalytics analytics, FleetRegistry fleet, SlotScheduler scheduler,
                               PrometheusMeterRegistry registry, AdminAccess admin, PrefixAffinity affinity) {
        this.affinity = affinity;
        this.analytics = analytics;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.registry = registry;
        this.admin = admin;
    }

    @Get("/analytics/summary")
    Map<String, Object> summary(HttpRequest<?> request) {
        admin.require(request);
        List<RequestAnalytics.Sample> samples = analytics.recent();
        long errors = samples.stream().filter(s -> !s.success()).count();
        double[] latencies = samples.stream().filter(RequestAnalytics.Sample::success)
                .mapToDouble(RequestAnalytics.Sample::latencyMs).sorted().toArray();
        Map<String, Long> byModel = new java.util.TreeMap<>();
        Map<String, Long> byServer = new java.util.TreeMap<>();
        samples.forEach(s -> {
            byModel.merge(s.model(), 1L, Long::sum);
            byServer.merge(s.serverId(), 1L, Long::sum);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("windowMs", analytics.windowMs());
        body.put("attempts", samples.size());
        body.put("errors", errors);
        body.put("errorRate", samples.isEmpty() ? 0 : (double) errors / samples.size());
        body.put("p50LatencyMs", percentile(latencies, 50));
        body.put("p95LatencyMs", percentile(latencies, 95));
        body.put("p99LatencyMs", percentile(latencies, 99));
        body.put("byModel", byModel);
        body.put("byServer", byServer);
        body.put("serversHealthy", fleet.all().stream().filter(BackendServer::healthy).count());
        body.put("serversTotal", fleet.all().size());
        body.put("queueDepth", scheduler.size());
        body.put("queueRejected", scheduler.rejectedTotal());
        body.put("queueTimedOut", scheduler.timedOutTotal());
        return body;
    }

    @Get("/analytics/server-performance")
    Map<String, Object> performance(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("windowMs", analytics.windowMs(), "servers", analytics.performance());
    }

    @Get("/analytics/errors")
    Map<String, Object> errors(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("windowMs", analytics.windowMs(), "errors", analytics.errors());
    }

    /** Per server: requests placed where part of their prompt prefix (or their session) probably was cached. */
    @Get("/analytics/prefix-affinity")
    Map<String, Object> prefixAffinity(HttpRequest<?> request) {
        admin.require(request);
        return Map.of("servers", affinity.perServer(), "sessions", affinity.sessions());
    }

    @Get(uri = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
    HttpResponse<String> metrics(HttpRequest<?> request) {
        admin.require(request);
        return HttpResponse.ok(registry.scrape()).contentType("text/plain; version=0.0.4; charset=utf-8");
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return Math.round(sorted[Math.clamp(index, 0, sorted.length - 1)] * 1000) / 1000.0;
    }
}
