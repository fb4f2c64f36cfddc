package ai.sovereign.gateway.auth;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;

/** A client address failed to authenticate too often ({@link FailedAuthentications}): 429 with {@code Retry-After}. */
public final class AuthenticationThrottledException extends ApiException {

    private final long retryAfterSeconds;

    public AuthenticationThrottledException(String message, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, message, "too_many_failed_authentications", null);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
