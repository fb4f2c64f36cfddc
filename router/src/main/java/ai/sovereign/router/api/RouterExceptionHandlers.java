package ai.sovereign.router.api;

import ai.sovereign.router.config.InvalidConfigException;
import ai.sovereign.router.forward.RoutingRefusedException;
import ai.sovereign.runtime.errors.ErrorBody;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The router's own failures as HTTP: refusals with {@code Retry-After}, rejected configuration with its field. */
public final class RouterExceptionHandlers {

    private RouterExceptionHandlers() {}

    /** 503 (queue full, no server) with Retry-After, or 504 (queue timeout). */
    @Singleton
    public static class Refused implements ExceptionHandler<RoutingRefusedException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, RoutingRefusedException e) {
            MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(e.status())
                    .body(ErrorBody.of(
                            e.getMessage(), ErrorBody.typeFor(e.status().getCode()), e.code(), null));
            if (e.retryAfterSeconds() > 0) {
                response.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            return response;
        }
    }

    /** 400 naming the first field at fault; every problem is in the message. */
    @Singleton
    public static class Invalid implements ExceptionHandler<InvalidConfigException, HttpResponse<ErrorBody>> {
        @Override
        public HttpResponse<ErrorBody> handle(HttpRequest request, InvalidConfigException e) {
            return HttpResponse.<ErrorBody>status(HttpStatus.BAD_REQUEST)
                    .body(ErrorBody.of(e.getMessage(), ErrorBody.typeFor(400), "invalid_config", e.field()));
        }
    }
}
