package ai.sovereign.gateway.limits;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.audit.GatewayAudit;
import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.keys.ApiKey;
import ai.sovereign.gateway.keys.KeyLimits;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The quota step: admits a request against its key's monthly budget, TPM, concurrency and RPM limits, in that order
 * (so a refusal consumes nothing), and hands out a {@link Lease} that charges the real token usage when the
 * response ends. Buckets and concurrency counts live in this replica's memory; the monthly budget is durable.
 */
@Singleton
public class KeyLimiter {

    private final MonthlyUsage monthly;
    private final GatewayAudit audit;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<UUID, KeyState> states = new ConcurrentHashMap<>();

    public KeyLimiter(MonthlyUsage monthly, GatewayAudit audit, GatewayMetrics metrics) {
        this.monthly = monthly;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** In-memory limit state of one key, rebuilt when its limits change. */
    private static final class KeyState {
        final KeyLimits limits;
        final TokenBucket rpm;
        final TokenBucket tpm;
        final AtomicInteger active;

        KeyState(KeyLimits limits, AtomicInteger active, long now) {
            this.limits = limits;
            this.active = active;
            this.rpm = limits.rpm() == null ? null : new TokenBucket(limits.rpm(), now);
            this.tpm = limits.tpm() == null ? null : new TokenBucket(limits.tpm(), now);
        }
    }

    /** What an admitted request owes: call {@link #finish} exactly once (later calls do nothing). */
    public final class Lease {
        private final ApiKey key;
        private final KeyState state;
        private final YearMonth month;
        private final AtomicBoolean finished = new AtomicBoolean();

        private Lease(ApiKey key, KeyState state, YearMonth month) {
            this.key = key;
            this.state = state;
            this.month = month;
        }

        /** Ends the request: frees its concurrency slot and charges its tokens to TPM and the monthly budget. */
        public void finish(long promptTokens, long completionTokens) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            state.active.decrementAndGet();
            long total = Math.max(0, promptTokens) + Math.max(0, completionTokens);
            if (state.tpm != null && total > 0) {
                state.tpm.charge((double) total, System.nanoTime());
            }
            monthly.add(key.id(), month, total);
        }
    }

    /** Whether {@link #admit} decides for {@code key} from memory alone (it blocks once per key and month otherwise). */
    public boolean admitsWithoutBlocking(ApiKey key) {
        return key.limits().monthlyTokenBudget() == null
                || monthly.loaded(key.id(), YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)));
    }

    public Lease admit(KeyContext context) {
        return admit(context, false);
    }

    /**
     * Like {@link #admit} but a refusal is neither thrown, counted nor audited: null instead, so that the caller can
     * hand the request to the path that refuses it properly ({@link #admit}, which checks again). Consumes nothing
     * when it refuses.
     */
    public @io.micronaut.core.annotation.Nullable Lease tryAdmit(KeyContext context) {
        return admit(context, true);
    }

    private Lease admit(KeyContext context, boolean quiet) {
        ApiKey key = context.key();
        long now = System.nanoTime();
        KeyState state = states.compute(
                key.id(),
                (id, current) -> current != null && current.limits.equals(key.limits())
                        ? current
                        : carryOver(current, key.limits(), now));
        KeyLimits limits = key.limits();
        Instant instant = clock.instant();
        YearMonth month = YearMonth.from(instant.atZone(ZoneOffset.UTC));
        if (limits.monthlyTokenBudget() != null) {
            long used = monthly.used(key.id(), month);
            if (used >= limits.monthlyTokenBudget()) {
                if (quiet) {
                    return null;
                }
                Instant reset = month.plusMonths(1)
                        .atDay(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
                throw refuse(
                        context,
                        LimitReason.BUDGET,
                        "monthly token budget of API key " + key.idString() + " is used up ("
                                + used + " of " + limits.monthlyTokenBudget() + " tokens in " + month
                                + "); it renews at " + reset
                                + ", or an admin can raise monthly_token_budget",
                        Duration.between(instant, reset).toSeconds());
            }
        }
        if (state.tpm != null && !state.tpm.positive(now)) {
            if (quiet) {
                return null;
            }
            throw refuse(
                    context,
                    LimitReason.TPM,
                    "API key " + key.idString() + " used its " + limits.tpm() + " tokens per minute; retry later",
                    state.tpm.secondsUntil(1, now));
        }
        if (limits.maxConcurrent() != null && state.active.incrementAndGet() > limits.maxConcurrent()) {
            state.active.decrementAndGet();
            if (quiet) {
                return null;
            }
            throw refuse(
                    context,
                    LimitReason.CONCURRENCY,
                    "API key " + key.idString() + " already has " + limits.maxConcurrent()
                            + " requests in progress (max_concurrent); retry when one finishes",
                    1);
        } else if (limits.maxConcurrent() == null) {
            state.active.incrementAndGet();
        }
        if (state.rpm != null && !state.rpm.tryTake(1, now)) {
            state.active.decrementAndGet();
            if (quiet) {
                return null;
            }
            throw refuse(
                    context,
                    LimitReason.RPM,
                    "API key " + key.idString() + " reached its limit of " + limits.rpm()
                            + " requests per minute; retry later",
                    state.rpm.secondsUntil(1, now));
        }
        return new Lease(key, state, month);
    }

    /** New limits share the in-flight counter, so requests admitted before the change still free their slots. */
    private static KeyState carryOver(KeyState previous, KeyLimits limits, long now) {
        return new KeyState(limits, previous == null ? new AtomicInteger() : previous.active, now);
    }

    private RateLimitedException refuse(KeyContext context, LimitReason reason, String message, long retryAfter) {
        metrics.rateLimited(reason.label());
        audit.record(
                context.actor(),
                "ratelimit.hit",
                "api_key",
                context.key().idString(),
                AuditEvent.Outcome.DENIED,
                message,
                context.origin(),
                Map.of("limit", reason.label()));
        return new RateLimitedException(reason, message, retryAfter);
    }
}
