package ai.sovereign.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus metrics: {@code gateway_requests_total{endpoint,status,model}},
 * {@code gateway_request_duration_seconds{endpoint}}, {@code gateway_time_to_first_token_seconds{endpoint}},
 * {@code gateway_tokens_total{model,kind}}, {@code gateway_active_requests}, {@code gateway_rate_limited_total{reason}},
 * {@code gateway_auth_failures_total}, {@code gateway_key_lookups_total} (API keys looked up in PostgreSQL on a
 * request: the cache, negative cache included, did not know them), {@code gateway_key_stale_uses_total} (requests let
 * in on a key as last seen while PostgreSQL could not be asked).
 *
 * <p>A model label names only a model the fleet has served (an answer with a 2xx status through the gateway, at most
 * {@value #MAX_MODEL_LABELS} of them); any other model a client names is counted as {@code other}, so that clients
 * cannot grow the label set by sending made-up model names.
 */
@Singleton
public class GatewayMetrics {

    private static final java.util.Set<String> KNOWN_ENDPOINTS = java.util.Set.of(
            "/v1/chat/completions",
            "/v1/completions",
            "/v1/embeddings",
            "/v1/models",
            "/api/chat",
            "/api/generate",
            "/api/embed",
            "/api/embeddings",
            "/api/tags",
            "/api/ps",
            "/api/show",
            "/api/version");

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter authFailures;
    private final Counter keyLookups;
    private final Counter staleKeyUses;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gateway.active.requests", active);
        this.authFailures = Counter.builder("gateway.auth.failures")
                .description("requests refused for a missing, invalid, " + "revoked or expired API key")
                .register(registry);
        this.keyLookups = Counter.builder("gateway.key.lookups")
                .description("API keys looked up in PostgreSQL for a request (not in the key cache)")
                .register(registry);
        this.staleKeyUses = Counter.builder("gateway.key.stale.uses")
                .description(
                        "requests let in on a key as last seen, PostgreSQL unreachable (gateway.keys.stale-if-error)")
                .register(registry);
        for (String reason : new String[] {"rpm", "tpm", "budget", "concurrency", "auth_failures"}) {
            rateLimitedCounter(reason);
        }
    }

    public void authFailure() {
        authFailures.increment();
    }

    public void keyLookup() {
        keyLookups.increment();
    }

    public void staleKeyUse() {
        staleKeyUses.increment();
    }

    public void rateLimited(String reason) {
        rateLimitedCounter(reason).increment();
    }

    private Counter rateLimitedCounter(String reason) {
        return Counter.builder("gateway.rate.limited")
                .tag("reason", reason)
                .description("requests refused with 429 by a per-key limit")
                .register(registry);
    }

    public void started() {
        active.incrementAndGet();
    }

    /** A request that was counted as started has ended. */
    public void finished(String endpoint, int status, String model, Duration duration) {
        active.decrementAndGet();
        completed(endpoint, status, model, duration);
    }

    /** A request that ended without being counted active (refused before forwarding). */
    public void completed(String endpoint, int status, String requestedModel, Duration duration) {
        String model = modelLabel(requestedModel, status >= 200 && status < 300);
        requests.computeIfAbsent(
                        new RequestKey(endpoint, status, model),
                        k -> Counter.builder("gateway.requests")
                                .tag("endpoint", endpoint)
                                .tag("status", Integer.toString(status))
                                .tag("model", model)
                                .description("requests answered, by client-facing endpoint, HTTP status and model")
                                .register(registry))
                .increment();
        durations
                .computeIfAbsent(
                        endpoint,
                        e -> Timer.builder("gateway.request.duration")
                                .tag("endpoint", e)
                                .publishPercentileHistogram()
                                .description("receipt to end of response")
                                .register(registry))
                .record(duration);
    }

    /**
     * Meters already registered, by their labels: looking one up here is a hash lookup, where building and
     * registering it again per request (tag list, id, registry lookup) costs several allocations on the hot path.
     */
    private record RequestKey(String endpoint, int status, String model) {}

    private final java.util.Map<RequestKey, Counter> requests = new java.util.concurrent.ConcurrentHashMap<>();

    /** The most models that get a label of their own. */
    static final int MAX_MODEL_LABELS = 500;

    private final java.util.Set<String> servedModels = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code model} when the fleet has served it ({@code served}: this answer did), else {@code other}. */
    private String modelLabel(String model, boolean served) {
        if ("-".equals(model) || servedModels.contains(model)) {
            return model;
        }
        if (served && servedModels.size() < MAX_MODEL_LABELS) {
            servedModels.add(model);
            return model;
        }
        return "other";
    }

    private final java.util.Map<String, Timer> durations = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Timer> firstTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Counter[]> tokenCounters = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A request refused before it was forwarded (400, 401, 403, 404, 429, ...). Only the gateway's own endpoints are
     * labelled by path; anything else is {@code other}, so unknown URLs cannot grow the label set.
     */
    public void refused(String path, int status) {
        String endpoint =
                KNOWN_ENDPOINTS.contains(path) ? path : path.startsWith("/admin/keys") ? "/admin/keys" : "other";
        Counter.builder("gateway.requests")
                .tag("endpoint", endpoint)
                .tag("status", Integer.toString(status))
                .tag("model", "-")
                .description("requests answered, by client-facing endpoint, HTTP status and model")
                .register(registry)
                .increment();
    }

    public void timeToFirstToken(String endpoint, Duration ttft) {
        firstTokens
                .computeIfAbsent(
                        endpoint,
                        e -> Timer.builder("gateway.time.to.first.token")
                                .tag("endpoint", e)
                                .publishPercentileHistogram()
                                .description("receipt to the first streamed token")
                                .register(registry))
                .record(ttft);
    }

    public void tokens(String requestedModel, long prompt, long completion) {
        if (prompt <= 0 && completion <= 0) {
            return;
        }
        String model = modelLabel(requestedModel, true); // tokens are counted for answers the fleet gave
        Counter[] counters = tokenCounters.computeIfAbsent(model, m -> new Counter[] {
            Counter.builder("gateway.tokens")
                    .tag("model", m)
                    .tag("kind", "prompt")
                    .register(registry),
            Counter.builder("gateway.tokens")
                    .tag("model", m)
                    .tag("kind", "completion")
                    .register(registry)
        });
        if (prompt > 0) {
            counters[0].increment((double) prompt);
        }
        if (completion > 0) {
            counters[1].increment((double) completion);
        }
    }
}
