package ai.sovereign.router.fleet;

import ai.sovereign.router.config.HealthSettings;
import ai.sovereign.router.config.VersionedRoutingConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every server on {@code health.intervalMs} (and a new server at once), discovering its models on the way.
 * Checks never overlap for one server; the interval follows config changes live.
 */
@Context
public class HealthProber {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);

    private final FleetRegistry fleet;
    private final ModelDiscovery discovery;
    private final ScheduledExecutorService timer;
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private volatile HealthSettings settings;
    private ScheduledFuture<?> schedule;

    public HealthProber(
            FleetRegistry fleet,
            ModelDiscovery discovery,
            VersionedRoutingConfig config,
            @Named("router-timer") ScheduledExecutorService timer) {
        this.fleet = fleet;
        this.discovery = discovery;
        this.timer = timer;
        this.settings = config.config().health();
        fleet.onServerAdded(server -> timer.execute(() -> check(server)));
        config.subscribe(next -> {
            if (!next.health().equals(settings)) {
                settings = next.health();
                reschedule();
            }
        });
        reschedule();
    }

    private synchronized void reschedule() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        long interval = settings.intervalMs();
        schedule = timer.scheduleWithFixedDelay(this::checkAll, 0, interval, TimeUnit.MILLISECONDS);
    }

    private void checkAll() {
        fleet.all().forEach(this::check);
    }

    /** Starts a check of {@code server} unless one is already running. */
    public void check(BackendServer server) {
        if (running.putIfAbsent(server.id(), Boolean.TRUE) != null) {
            return;
        }
        var spec = server.spec();
        try {
            discovery.discover(spec, Duration.ofMillis(settings.timeoutMs())).whenComplete((found, error) -> {
                running.remove(server.id());
                if (server.removed() || !server.spec().url().equals(spec.url())) {
                    return;
                }
                if (error == null) {
                    fleet.reportHealthy(server, found.models(), found.loaded(), found.loadedKnown());
                } else {
                    fleet.reportUnreachable(server, describe(error));
                }
            });
        } catch (RuntimeException e) {
            running.remove(server.id());
            LOG.warn("health check of {} could not start: {}", server.id(), e.getMessage());
        }
    }

    /** A failure as an operator wants to read it: what happened, not a stack trace. */
    static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    @PreDestroy
    synchronized void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
