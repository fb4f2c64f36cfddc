package ai.sovereign.runtime.errors;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The OpenAI error body every service answers with: {@code {"error": {"message", "type", "code", "param"}}}. */
@Serdeable
public record ErrorBody(Detail error) {

    /** What went wrong, for people ({@code message}) and for programs ({@code type}, {@code code}, {@code param}). */
    @Serdeable
    public record Detail(String message, String type, @Nullable String code, @Nullable String param) {
    }

    public static ErrorBody of(String message, String type, @Nullable String code, @Nullable String param) {
        return new ErrorBody(new Detail(message, type, code, param));
    }

    /** The OpenAI error {@code type} for an HTTP status. */
    public static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
