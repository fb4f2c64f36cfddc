package ai.sovereign.router.metrics;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.breaker.CircuitBreaker;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.queue.SlotScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's Prometheus metrics, as named in docs/router.md: fleet and queue gauges, per-server in-flight,
 * per-(server, model) breaker state, request outcomes, latency, time to first token, retries, queue refusals.
 */
@Context
public class RouterMetrics {

    private final MeterRegistry registry;
    private final Counter retries;
    private final Map<String, Meter> serverGauges = new ConcurrentHashMap<>();
    private final Map<String, Meter> breakerGauges = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry, FleetRegistry fleet, SlotScheduler scheduler, BreakerBoard breakers) {
        this.registry = registry;
        Gauge.builder(
                        "orchestrator.servers.healthy",
                        fleet,
                        f -> f.all().stream().filter(BackendServer::healthy).count())
                .description("servers whose last health check succeeded")
                .register(registry);
        Gauge.builder("orchestrator.servers.total", fleet, f -> f.all().size())
                .description("servers in the fleet")
                .register(registry);
        Gauge.builder("orchestrator.queue.size", scheduler, SlotScheduler::size)
                .description("requests waiting for a slot")
                .register(registry);
        Gauge.builder("orchestrator.queue.max.size", scheduler, SlotScheduler::maxSize)
                .description("queue.maxSize in force")
                .register(registry);
        FunctionCounter.builder("orchestrator.queue.rejected", scheduler, SlotScheduler::rejectedTotal)
                .description("requests refused because the queue was full")
                .register(registry);
        FunctionCounter.builder("orchestrator.queue.timeouts", scheduler, SlotScheduler::timedOutTotal)
                .description("requests that waited queue.timeoutMs without a slot")
                .register(registry);
        this.retries = Counter.builder("orchestrator.retries")
                .description("attempts retried on another server")
                .register(registry);
        fleet.all().forEach(this::serverAdded);
        fleet.onServerAdded(this::serverAdded);
        fleet.onServerRemoved(server -> {
            Meter meter = serverGauges.remove(server.id());
            if (meter != null) {
                registry.remove(meter);
            }
            breakerGauges.entrySet().removeIf(e -> {
                if (e.getKey().startsWith(server.id() + "\u0000")) {
                    registry.remove(e.getValue());
                    return true;
                }
                return false;
            });
        });
        breakers.all().forEach(this::breakerCreated);
        breakers.onCreated(this::breakerCreated);
    }

    private void serverAdded(BackendServer server) {
        serverGauges.computeIfAbsent(
                server.id(),
                id -> Gauge.builder("orchestrator.in.flight", server, BackendServer::inFlight)
                        .tag("server", id)
                        .description("requests being served by the server")
                        .register(registry));
    }

    private void breakerCreated(CircuitBreaker breaker) {
        breakerGauges.computeIfAbsent(
                breaker.serverId() + "\u0000" + breaker.model(),
                key -> Gauge.builder(
                                "orchestrator.circuit.breaker.state",
                                breaker,
                                b -> b.state().gaugeValue())
                        .tag("server", breaker.serverId())
                        .tag("model", breaker.model())
                        .description("0 closed, 1 half-open, 2 open")
                        .register(registry));
    }

    /** One finished client request; {@code serverId} is "none" when no server was reached. */
    public void requestFinished(String serverId, String model, String status, Duration duration) {
        requests.computeIfAbsent(
                        serverId + '\u0000' + model + '\u0000' + status,
                        k -> Counter.builder("orchestrator.requests")
                                .tag("server", serverId)
                                .tag("model", model)
                                .tag("status", status)
                                .description("finished requests by outcome")
                                .register(registry))
                .increment();
        durations
                .computeIfAbsent(
                        model,
                        m -> Timer.builder("orchestrator.request.duration")
                                .tag("model", m)
                                .description("from arrival to the end of the response")
                                .publishPercentileHistogram()
                                .register(registry))
                .record(duration);
    }

    public void timeToFirstToken(String model, Duration ttft) {
        firstTokens
                .computeIfAbsent(
                        model,
                        m -> Timer.builder("orchestrator.time.to.first.token")
                                .tag("model", m)
                                .description("from arrival to the first streamed byte")
                                .publishPercentileHistogram()
                                .register(registry))
                .record(ttft);
    }

    /** Per-request meters already registered, by labels: a hash lookup instead of building and registering per request. */
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();

    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstTokens = new ConcurrentHashMap<>();

    public void retried() {
        retries.increment();
    }
}
