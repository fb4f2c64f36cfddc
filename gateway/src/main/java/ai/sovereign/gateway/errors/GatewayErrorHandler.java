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
            response = HttpResponse.status(exception.status())
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(json.writeValueAsString(ollamaBody(exception)));
        } else {
            response = HttpResponse.status(exception.status()).body(openAiBody(exception));
        }
        long retryAfter = retryAfterSeconds(exception);
        if (retryAfter > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        return response;
    }

    /**
     * The same answer's body for code that writes responses without Micronaut (the connection guards): the shape of
     * {@code path}'s dialect.
     */
    public static byte[] bodyFor(String path, ApiException exception) {
        return OLLAMA_PATHS.contains(path)
                ? STATIC_JSON.writeValueAsBytes(ollamaBody(exception))
                : openAiBody(exception).toJson();
    }

    /** The {@code Retry-After} seconds a refusal carries, 0 for none. */
    public static long retryAfterSeconds(ApiException exception) {
        if (exception instanceof RateLimitedException limited) {
            return limited.retryAfterSeconds();
        }
        if (exception instanceof ai.sovereign.gateway.auth.AuthenticationThrottledException throttled) {
            return throttled.retryAfterSeconds();
        }
        return 0;
    }

    private static final JsonMapper STATIC_JSON = ai.sovereign.runtime.json.JsonMapperFactory.platformMapper();

    private static ObjectNode ollamaBody(ApiException exception) {
        return STATIC_JSON.createObjectNode().put("error", exception.getMessage());
    }

    private static ErrorBody openAiBody(ApiException exception) {
        return ErrorBody.of(
                exception.getMessage(),
                ErrorBody.typeFor(exception.status().getCode()),
                exception.code(),
                exception.param());
    }
}
