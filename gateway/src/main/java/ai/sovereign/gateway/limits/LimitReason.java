package ai.sovereign.gateway.limits;

import java.util.Locale;

/** Which per-key limit refused a request; the metric label and the error code. */
public enum LimitReason {
    RPM("rate_limit_exceeded"),
    TPM("tokens_per_minute_exceeded"),
    BUDGET("monthly_budget_exhausted"),
    CONCURRENCY("too_many_concurrent_requests"),
    /** Not a key's limit: a client address that failed to authenticate too often (FailedAuthentications). */
    AUTH_FAILURES("too_many_failed_authentications");

    private final String code;

    LimitReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
