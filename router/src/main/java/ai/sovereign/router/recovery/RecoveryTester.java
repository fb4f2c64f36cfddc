package ai.sovereign.router.recovery;

import ai.sovereign.router.balance.LatencyTracker;
import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.breaker.BreakerState;
import ai.sovereign.router.breaker.CircuitBreaker;
import ai.sovereign.router.config.RecoverySettings;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.forward.BackendAdapters;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.queue.Priority;
import ai.sovereign.router.queue.SlotLease;
import ai.sovereign.router.queue.SlotScheduler;
import io.micronaut.context.annotation.Context;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Probes every open (or half-open) automatic breaker with a tiny real request ({@code max_tokens: 1}, or a one-word
 * embedding for embedding models) every {@code recovery.intervalMs}, on a healthy server only and inside its
 * {@code maxConcurrency}. A pass closes the breaker; a failure keeps it open and is logged; {@code banAfterFailures}
 * consecutive failures ban the (server, model) for {@code banDurationMs}.
 */
@Context
public class RecoveryTester {

    private static final long TICK_MS = 100;

    private final BreakerBoard breakers;
    private final FleetRegistry fleet;
    private final SlotScheduler scheduler;
    private final BackendAdapters adapters;
    private final HttpClient http;
    private final JsonMapper json;
    private final VersionedRoutingConfig config;
    private final RecoveryLog log;
    private final BanList bans;
    private final LatencyTracker latency;
    private final Map<String, Long> lastTest = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> tick;

    /** One test's outcome. */
    @Serdeable
    public record Outcome(
            String serverId, String model, boolean passed, double latencyMs, String detail, String breakerState) {}

    public RecoveryTester(
            BreakerBoard breakers,
            FleetRegistry fleet,
            SlotScheduler scheduler,
            BackendAdapters adapters,
            HttpClient http,
            JsonMapper json,
            VersionedRoutingConfig config,
            RecoveryLog log,
            BanList bans,
            LatencyTracker latency,
            @Named("router-timer") ScheduledExecutorService timer) {
        this.breakers = breakers;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.adapters = adapters;
        this.http = http;
        this.json = json;
        this.config = config;
        this.log = log;
        this.bans = bans;
        this.latency = latency;
        this.tick = timer.scheduleWithFixedDelay(this::testDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void testDue() {
        long now = System.currentTimeMillis();
        long interval = config.config().recovery().intervalMs();
        for (CircuitBreaker breaker : breakers.all()) {
            if (breaker.manual() || breaker.state() == BreakerState.CLOSED) {
                continue;
            }
            String key = breaker.serverId() + "\u0000" + breaker.model();
            if (now - lastTest.getOrDefault(key, 0L) < interval) {
                continue;
            }
            BackendServer server = fleet.find(breaker.serverId()).orElse(null);
            if (server == null || !server.healthy() || bans.isBanned(server.id(), breaker.model())) {
                continue; // a dead server fails its health check already; a test would only add noise
            }
            lastTest.put(key, now);
            test(server, breaker.model());
        }
    }

    /** Runs one test now (also the operator's {@code recovery-test} endpoint). */
    public CompletableFuture<Outcome> test(BackendServer server, String model) {
        String key = server.id() + "\u0000" + model;
        if (!running.add(key)) {
            return CompletableFuture.completedFuture(new Outcome(
                    server.id(),
                    model,
                    false,
                    0,
                    "a recovery test of this pair is already running",
                    state(server, model)));
        }
        SlotLease lease = scheduler.tryAcquire(server, model);
        if (lease == null) {
            running.remove(key);
            return CompletableFuture.completedFuture(new Outcome(
                    server.id(), model, false, 0, "skipped: the server is at maxConcurrency", state(server, model)));
        }
        RecoverySettings settings = config.config().recovery();
        long start = System.nanoTime();
        HttpRequest request;
        try {
            request = adapters.of(server.spec().type())
                    .toUpstream(
                            server.spec(), probe(model), "recovery-" + start, Duration.ofMillis(settings.timeoutMs()))
                    .toHttpRequest();
        } catch (RuntimeException e) {
            lease.release();
            running.remove(key);
            return CompletableFuture.completedFuture(record(server, model, false, 0, e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
            double latencyMs = (System.nanoTime() - start) / 1e6;
            lease.release();
            running.remove(key);
            if (error != null) {
                Throwable cause = error.getCause() == null ? error : error.getCause();
                String message = cause instanceof java.net.ConnectException
                        ? "connection refused"
                        : cause instanceof java.net.http.HttpTimeoutException
                                ? "timed out"
                                : String.valueOf(cause.getMessage());
                return record(server, model, false, latencyMs, message);
            }
            if (response.statusCode() / 100 != 2) {
                return record(
                        server,
                        model,
                        false,
                        latencyMs,
                        "HTTP " + response.statusCode() + ": "
                                + adapters.of(server.spec().type()).errorMessage(response.body()));
            }
            return record(server, model, true, latencyMs, "HTTP " + response.statusCode());
        });
    }

    private Outcome record(BackendServer server, String model, boolean passed, double latencyMs, String detail) {
        CircuitBreaker breaker = breakers.breaker(server.id(), model);
        if (passed) {
            log.passed(server.id(), model);
            latency.recovered(server.id(), model);
            breaker.recoverySucceeded();
        } else {
            breaker.recoveryFailed("recovery test: " + detail);
            int consecutive = log.failed(server.id(), model, detail, latencyMs);
            RecoverySettings settings = config.config().recovery();
            if (consecutive >= settings.banAfterFailures() && !bans.isBanned(server.id(), model)) {
                bans.ban(
                        server.id(),
                        model,
                        Duration.ofMillis(settings.banDurationMs()),
                        consecutive + " consecutive recovery tests failed; last: " + detail);
            }
        }
        return new Outcome(
                server.id(),
                model,
                passed,
                Math.round(latencyMs * 10) / 10.0,
                detail,
                breaker.state().wireName());
    }

    private String state(BackendServer server, String model) {
        return breakers.find(server.id(), model).map(b -> b.state().wireName()).orElse("closed");
    }

    private InferenceRequest probe(String model) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        boolean embedding = isEmbeddingModel(model);
        if (embedding) {
            body.put("input", "ping");
        } else {
            body.put("max_tokens", 1);
            body.putArray("messages").addObject().put("role", "user").put("content", "ping");
        }
        return new InferenceRequest(
                embedding ? Endpoint.EMBEDDINGS : Endpoint.CHAT,
                model,
                false,
                false,
                Priority.NORMAL,
                body,
                json.writeValueAsBytes(body));
    }

    static boolean isEmbeddingModel(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return name.contains("embed") || name.contains("minilm") || name.contains("bge");
    }

    @PreDestroy
    void stop() {
        tick.cancel(false);
    }
}
