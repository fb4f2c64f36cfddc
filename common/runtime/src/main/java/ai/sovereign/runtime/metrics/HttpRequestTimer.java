package ai.sovereign.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records {@code http_server_requests_seconds{method,uri,status}}, for the requests Micronaut serves
 * ({@link HttpServerMetricsFilter}) and those the fast lane serves alike, so both land in the same series.
 */
@Singleton
public final class HttpRequestTimer {

    /** One series; {@code uri} is a route template, so the number of series stays bounded. */
    private record Series(String method, String uri, int status) {}

    private final MeterRegistry registry;
    /** The timers looked up once: building a meter id per request costs more than the recording itself. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    public HttpRequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records a request to route template {@code uri} that started at {@code startNanos} ({@link System#nanoTime}). */
    public void record(String method, String uri, int status, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        timers.computeIfAbsent(
                        new Series(method, uri, status),
                        series -> Timer.builder("http.server.requests")
                                .description("HTTP requests served")
                                .tag("method", series.method())
                                .tag("uri", series.uri())
                                .tag("status", Integer.toString(series.status()))
                                .publishPercentileHistogram(false)
                                .register(registry))
                .record(elapsed, TimeUnit.NANOSECONDS);
    }
}
