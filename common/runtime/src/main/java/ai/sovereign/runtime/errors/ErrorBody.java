package ai.sovereign.runtime.errors;

import ai.sovereign.runtime.json.JsonMapperFactory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAI error body every service answers with: {@code {"error": {"message", "type", "code", "param"}}}. */
@Serdeable
public record ErrorBody(Detail error) {

    /** Static: {@link #toJson()} is called from static code (SSE frames, the fast lane) that has no context to inject from. */
    private static final JsonMapper JSON = JsonMapperFactory.platformMapper();

    /** What went wrong, for people ({@code message}) and for programs ({@code type}, {@code code}, {@code param}). */
    @Serdeable
    public record Detail(
            String message,
            String type,
            @Nullable String code,
            @Nullable String param) {}

    public static ErrorBody of(String message, String type, @Nullable String code, @Nullable String param) {
        return new ErrorBody(new Detail(message, type, code, param));
    }

    /**
     * This body as OpenAI writes it, every field present ({@code "param":null} when there is none), for the answers
     * written without Micronaut: the fast lane's, in-stream SSE errors, the gateway's stand-in for an empty upstream
     * error. (Micronaut's serialisation, which the controllers' answers go through, leaves null fields out.)
     */
    public byte[] toJson() {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error")
                .put("message", error.message())
                .put("type", error.type())
                .put("code", error.code())
                .put("param", error.param());
        return JSON.writeValueAsBytes(body);
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
