package ai.sovereign.gateway.errors;

import ai.sovereign.gateway.limits.RateLimitedException;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.errors.ApiExceptionHandler;
import ai.sovereign.runtime.errors.ErrorBody;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place the gateway decides error responses: the OpenAI error body everywhere except on the Ollama routes,
 * which answer {@code {"error": "..."}} as Ollama does; {@code Retry-After} on 429.
 */
@Singleton
@Replaces(ApiExceptionHandler.class)
public class GatewayErrorHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {

    private final GatewayMetrics metrics;
    private final JsonMapper json;

    public GatewayErrorHandler(GatewayMetrics metrics, JsonMapper json) {
        this.metrics = metrics;
        this.json = json;
    }

    /** The Ollama dialect's routes, whose clients expect Ollama's error shape. */
    public static final Set<String> OLLAMA_PATHS = Set.of(
            "/api/chat",
            "/api/generate",
            "/api/embed",
            "/api/embeddings",
            "/api/tags",
            "/api/ps",
            "/api/show",
            "/api/version");

    @Override
    public HttpResponse<?> handle(HttpRequest request, ApiException exception) {
        metrics.refused(request.getPath(), exception.status().getCode());
        MutableHttpResponse<?> response;
        if (OLLAMA_PATHS.contains(request.getPath())) {
            ObjectNode body = json.createObjectNode().put("error", exception.getMessage());
            response = HttpResponse.status(exception.status())
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(json.writeValueAsString(body));
        } else {
            response = HttpResponse.status(exception.status())
                    .body(ErrorBody.of(
                            exception.getMessage(),
                            ErrorBody.typeFor(exception.status().getCode()),
                            exception.code(),
                            exception.param()));
        }
        if (exception instanceof RateLimitedException limited) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
        }
        if (exception instanceof ai.sovereign.gateway.auth.AuthenticationThrottledException throttled) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
        }
        return response;
    }
}
