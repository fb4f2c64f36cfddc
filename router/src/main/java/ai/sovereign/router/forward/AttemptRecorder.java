package ai.sovereign.router.forward;

import ai.sovereign.events.UsageRecord;
import ai.sovereign.router.analytics.RequestAnalytics;
import ai.sovereign.router.balance.LatencyTracker;
import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.events.RouterEvents;
import ai.sovereign.router.metrics.RouterMetrics;
import ai.sovereign.router.queue.SlotLease;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Where every attempt's and every request's outcome goes: the (server, model) breaker, the latency averages the
 * balancer scores with, analytics, Prometheus, and one {@code llm.usage.v1} record per finished request.
 */
@Singleton
public class AttemptRecorder {

    private final BreakerBoard breakers;
    private final LatencyTracker latency;
    private final RequestAnalytics analytics;
    private final RouterMetrics metrics;
    private final RouterEvents events;

    public AttemptRecorder(
            BreakerBoard breakers,
            LatencyTracker latency,
            RequestAnalytics analytics,
            RouterMetrics metrics,
            RouterEvents events) {
        this.breakers = breakers;
        this.latency = latency;
        this.analytics = analytics;
        this.metrics = metrics;
        this.events = events;
    }

    /** The server answered (first byte for a stream, whole answer otherwise) after {@code latencyMs}. */
    public void answered(SlotLease lease, double latencyMs) {
        latency.recordSuccess(lease.server().id(), lease.model(), latencyMs);
    }

    /** The attempt ended well (or with the client's own error, which says nothing bad about the server). */
    public void succeeded(SlotLease lease, double latencyMs, @Nullable Double ttftMs, int completionTokens) {
        breakers.breaker(lease.server().id(), lease.model()).record(true, lease.probe(), null);
        analytics.record(new RequestAnalytics.Sample(
                System.currentTimeMillis(),
                lease.server().id(),
                lease.model(),
                true,
                latencyMs,
                ttftMs,
                completionTokens,
                null));
    }

    public void failed(SlotLease lease, double latencyMs, String error) {
        breakers.breaker(lease.server().id(), lease.model()).record(false, lease.probe(), error);
        latency.recordFailure(lease.server().id(), lease.model());
        analytics.record(new RequestAnalytics.Sample(
                System.currentTimeMillis(), lease.server().id(), lease.model(), false, latencyMs, null, 0, error));
    }

    /** The client went away: a probe's place is freed without an outcome. */
    public void abandoned(SlotLease lease) {
        if (lease.probe()) {
            breakers.find(lease.server().id(), lease.model()).ifPresent(b -> b.probeAbandoned());
        }
    }

    public void retried() {
        metrics.retried();
    }

    public void firstToken(String model, Duration ttft) {
        metrics.timeToFirstToken(model, ttft);
    }

    /** The request is over; one usage record and one request count. */
    public void finished(
            ClientContext client,
            InferenceRequest request,
            @Nullable String serverId,
            UsageRecord.Status status,
            int httpStatus,
            @Nullable String errorType,
            int promptTokens,
            int completionTokens,
            @Nullable Double ttftMs) {
        Duration duration = Duration.ofNanos(System.nanoTime() - client.startNanos());
        metrics.requestFinished(
                serverId == null ? "none" : serverId,
                request.model(),
                status.name().toLowerCase(java.util.Locale.ROOT),
                duration);
        events.usage(new UsageRecord(
                client.requestId(),
                client.keyId(),
                client.tenant(),
                request.model(),
                serverId,
                request.endpoint().path(),
                request.stream(),
                promptTokens,
                completionTokens,
                ttftMs,
                duration.toNanos() / 1e6,
                status,
                httpStatus,
                errorType,
                client.startedAt()));
    }
}
