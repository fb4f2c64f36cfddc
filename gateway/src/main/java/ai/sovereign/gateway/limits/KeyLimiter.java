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
 * response ends. RPM and TPM count per UTC minute across all gateway replicas ({@link QuotaSlices}); the monthly budget
 * is durable and seen by every replica within a couple of seconds ({@link MonthlyUsage}); {@code max_concurrent} is
 * divided among the live replicas (each admits its portion, at least 1).
 */
@Singleton
public class KeyLimiter {

    private final MonthlyUsage monthly;
    private final QuotaSlices slices;
    private final GatewayAudit audit;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<UUID, KeyState> states = new ConcurrentHashMap<>();

    public KeyLimiter(MonthlyUsage monthly, QuotaSlices slices, GatewayAudit audit, GatewayMetrics metrics) {
        this.monthly = monthly;
        this.slices = slices;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** In-flight requests of one key on this replica. */
    private static final class KeyState {
        final AtomicInteger active = new AtomicInteger();
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
            if (key.limits().tpm() != null && total > 0) {
                slices.charge(key.id(), QuotaSlices.Kind.TPM, total);
            }
            monthly.add(key.id(), month, total);
        }
    }

    /**
     * Whether {@link #admit} decides for {@code key} from memory alone: otherwise it may ask PostgreSQL (for the month's
     * usage once per key and month, for a new slice of the minute's RPM or TPM allowance).
     */
    public boolean admitsWithoutBlocking(ApiKey key) {
        KeyLimits limits = key.limits();
        return (limits.monthlyTokenBudget() == null
                        || monthly.loaded(
                                key.id(), YearMonth.from(clock.instant().atZone(ZoneOffset.UTC))))
                && (limits.rpm() == null || slices.decidesInMemory(key.id(), QuotaSlices.Kind.RPM))
                && (limits.tpm() == null || slices.decidesInMemory(key.id(), QuotaSlices.Kind.TPM));
    }

    public Lease admit(KeyContext context) {
        return admit(context, false);
    }

    /**
     * Like {@link #admit} but a refusal is neither thrown, counted nor audited: null instead, so that the caller can
     * hand the request to the path that refuses it properly ({@link #admit}, which checks again). Never blocks: where
     * {@link #admit} would ask PostgreSQL it answers null too. Consumes nothing when it refuses.
     */
    public @io.micronaut.core.annotation.Nullable Lease tryAdmit(KeyContext context) {
        return admit(context, true);
    }

    private Lease admit(KeyContext context, boolean quiet) {
        ApiKey key = context.key();
        boolean mayBlock = !quiet;
        KeyState state = states.computeIfAbsent(key.id(), id -> new KeyState());
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
        if (limits.tpm() != null && !slices.positive(key.id(), QuotaSlices.Kind.TPM, limits.tpm(), mayBlock)) {
            if (quiet) {
                return null;
            }
            throw refuse(
                    context,
                    LimitReason.TPM,
                    "API key " + key.idString() + " used its " + limits.tpm() + " tokens per minute; retry later",
                    slices.secondsToNextWindow());
        }
        Integer concurrent =
                limits.maxConcurrent() == null ? null : slices.replicaShare().portion(limits.maxConcurrent());
        if (concurrent != null && state.active.incrementAndGet() > concurrent) {
            state.active.decrementAndGet();
            if (quiet) {
                return null;
            }
            throw refuse(
                    context,
                    LimitReason.CONCURRENCY,
                    "API key " + key.idString() + " already has " + concurrent + " requests in progress"
                            + (concurrent.equals(limits.maxConcurrent())
                                    ? " (max_concurrent)"
                                    : " through this gateway replica (its share of max_concurrent "
                                            + limits.maxConcurrent() + ")")
                            + "; retry when one finishes",
                    1);
        } else if (concurrent == null) {
            state.active.incrementAndGet();
        }
        if (limits.rpm() != null && !slices.take(key.id(), QuotaSlices.Kind.RPM, limits.rpm(), 1, mayBlock)) {
            state.active.decrementAndGet();
            if (quiet) {
                return null;
            }
            throw refuse(
                    context,
                    LimitReason.RPM,
                    "API key " + key.idString() + " reached its limit of " + limits.rpm()
                            + " requests per minute; retry later",
                    slices.secondsToNextWindow());
        }
        return new Lease(key, state, month);
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
