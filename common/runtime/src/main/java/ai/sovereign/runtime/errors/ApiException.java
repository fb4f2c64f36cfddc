package ai.sovereign.runtime.errors;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

/** A failure that maps to one HTTP status and error body; thrown by domain code, rendered by {@link ApiExceptionHandler}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String param;

    public ApiException(HttpStatus status, String message, @Nullable String code, @Nullable String param) {
        super(message);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public static ApiException badRequest(String message, @Nullable String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, message, "invalid_value", param);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message, "not_found", null);
    }

    public HttpStatus status() {
        return status;
    }

    public @Nullable String code() {
        return code;
    }

    public @Nullable String param() {
        return param;
    }
}
