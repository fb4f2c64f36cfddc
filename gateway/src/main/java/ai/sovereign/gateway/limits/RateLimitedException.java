package ai.sovereign.gateway.limits;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;

/** A per-key limit refused the request: 429 with {@code Retry-After}. */
public final class RateLimitedException extends ApiException {

    private final LimitReason reason;
    private final long retryAfterSeconds;

    public RateLimitedException(LimitReason reason, String message, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, message, reason.code(), null);
        this.reason = reason;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public LimitReason reason() {
        return reason;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
