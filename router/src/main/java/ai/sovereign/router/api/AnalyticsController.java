package ai.sovereign.router.api;

import ai.sovereign.router.analytics.RequestAnalytics;
import ai.sovereign.router.analytics.RequestAnalytics.ErrorCount;
import ai.sovereign.router.analytics.RequestAnalytics.Performance;
import ai.sovereign.router.balance.PrefixAffinity;
import ai.sovereign.router.balance.PrefixAffinity.ServerAffinity;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.queue.SlotScheduler;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * What the fleet did recently (the {@code metrics.windowMs} window), and the Prometheus scrape. Its answers show null
 * and empty fields as such ({@code ALWAYS}), as the maps they replaced did.
 */
@Controller("/api/orchestrator")
public class AnalyticsController {

    private final RequestAnalytics analytics;
    private final FleetRegistry fleet;
    private final SlotScheduler scheduler;
    private final PrometheusMeterRegistry registry;
    private final AdminAccess admin;
    private final PrefixAffinity affinity;

    public AnalyticsController(
            RequestAnalytics analytics,
            FleetRegistry fleet,
            SlotScheduler scheduler,
            PrometheusMeterRegistry registry,
            AdminAccess admin,
            PrefixAffinity affinity) {
        this.affinity = affinity;
        this.analytics = analytics;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.registry = registry;
        this.admin = admin;
    }

    /** The window's totals; {@code errorRate} is 0 when nothing was attempted. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Summary(
            long windowMs,
            int attempts,
            long errors,
            double errorRate,
            double p50LatencyMs,
            double p95LatencyMs,
            double p99LatencyMs,
            Map<String, Long> byModel,
            Map<String, Long> byServer,
            long serversHealthy,
            int serversTotal,
            int queueDepth,
            long queueRejected,
            long queueTimedOut) {}

    /** Per (server, model) in the window. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ServerPerformance(long windowMs, List<Performance> servers) {}

    /** The window's errors by (server, model, error). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Errors(long windowMs, List<ErrorCount> errors) {}

    /** Prefix-affinity placements per server since start, and the sessions remembered. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PrefixAffinityView(List<ServerAffinity> servers, int sessions) {}

    @Get("/analytics/summary")
    Summary summary(HttpRequest<?> request) {
        admin.require(request);
        List<RequestAnalytics.Sample> samples = analytics.recent();
        long errors = samples.stream().filter(s -> !s.success()).count();
        double[] latencies = samples.stream()
                .filter(RequestAnalytics.Sample::success)
                .mapToDouble(RequestAnalytics.Sample::latencyMs)
                .sorted()
                .toArray();
        Map<String, Long> byModel = new java.util.TreeMap<>();
        Map<String, Long> byServer = new java.util.TreeMap<>();
        samples.forEach(s -> {
            byModel.merge(s.model(), 1L, Long::sum);
            byServer.merge(s.serverId(), 1L, Long::sum);
        });
        return new Summary(
                analytics.windowMs(),
                samples.size(),
                errors,
                samples.isEmpty() ? 0 : (double) errors / samples.size(),
                percentile(latencies, 50),
                percentile(latencies, 95),
                percentile(latencies, 99),
                byModel,
                byServer,
                fleet.all().stream().filter(BackendServer::healthy).count(),
                fleet.all().size(),
                scheduler.size(),
                scheduler.rejectedTotal(),
                scheduler.timedOutTotal());
    }

    @Get("/analytics/server-performance")
    ServerPerformance performance(HttpRequest<?> request) {
        admin.require(request);
        return new ServerPerformance(analytics.windowMs(), analytics.performance());
    }

    @Get("/analytics/errors")
    Errors errors(HttpRequest<?> request) {
        admin.require(request);
        return new Errors(analytics.windowMs(), analytics.errors());
    }

    /** Per server: requests placed where part of their prompt prefix (or their session) probably was cached. */
    @Get("/analytics/prefix-affinity")
    PrefixAffinityView prefixAffinity(HttpRequest<?> request) {
        admin.require(request);
        return new PrefixAffinityView(affinity.perServer(), affinity.sessions());
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
