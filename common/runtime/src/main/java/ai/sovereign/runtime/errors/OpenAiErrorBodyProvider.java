package ai.sovereign.runtime.errors;

import ai.sovereign.runtime.requestid.RequestIdFilter;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Makes every error the framework itself produces (unknown route, wrong method, malformed JSON, unsupported media
 * type, body too large, failed validation) use the same OpenAI error body as the services' own errors.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class OpenAiErrorBodyProvider implements JsonErrorResponseBodyProvider<ErrorBody> {

    @Override
    public ErrorBody body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        if (status >= 500) {
            return ErrorBody.of(
                    "internal error; the service log has the details under request_id "
                            + RequestIdFilter.of(context.getRequest()),
                    ErrorBody.typeFor(status),
                    codeFor(status),
                    null);
        }
        String message = context.hasErrors() && status != 404 && status != 405
                ? context.getErrors().stream()
                        .map(OpenAiErrorBodyProvider::describe)
                        .collect(Collectors.joining("; "))
                : defaultMessage(status, context);
        String param = context.getErrors().stream()
                .map(Error::getPath)
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .orElse(null);
        return ErrorBody.of(message, ErrorBody.typeFor(status), codeFor(status), param);
    }

    private static String describe(Error error) {
        return error.getPath().map(path -> path + ": " + error.getMessage()).orElse(error.getMessage());
    }

    private static String defaultMessage(int status, ErrorContext context) {
        return switch (status) {
            case 404 ->
                "no such endpoint: " + context.getRequest().getMethodName() + " "
                        + context.getRequest().getPath();
            case 405 ->
                "method " + context.getRequest().getMethodName() + " is not allowed on "
                        + context.getRequest().getPath();
            case 413 -> "request body is too large";
            case 415 -> "unsupported content type; send application/json";
            default -> context.getRootCause().map(Throwable::getMessage).orElse("request failed with status " + status);
        };
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 404 -> "unknown_url";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }
}
