package ai.sovereign.runtime.errors;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders {@link ApiException} as its status and an OpenAI error body. */
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ErrorBody>> {

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiException exception) {
        return HttpResponse.<ErrorBody>status(exception.status())
                .body(ErrorBody.of(
                        exception.getMessage(),
                        ErrorBody.typeFor(exception.status().getCode()),
                        exception.code(),
                        exception.param()));
    }
}
