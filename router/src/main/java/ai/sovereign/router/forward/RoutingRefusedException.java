package ai.sovereign.router.forward;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;

/** A request refused without reaching a server: 503 with {@code Retry-After} (queue full, no server), or 504. */
public final class RoutingRefusedException extends ApiException {

    private final long retryAfterSeconds;

    public RoutingRefusedException(HttpStatus status, String message, String code, long retryAfterSeconds) {
        super(status, message, code, null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds for {@code Retry-After}; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
