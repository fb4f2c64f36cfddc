package ai.sovereign.gateway.limits;

import java.util.Locale;

/** Which per-key limit refused a request; the metric label and the error code. */
public enum LimitReason {
    RPM("rate_limit_exceeded"),
    TPM("tokens_per_minute_exceeded"),
    BUDGET("monthly_budget_exhausted"),
    CONCURRENCY("too_many_concurrent_requests");

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
