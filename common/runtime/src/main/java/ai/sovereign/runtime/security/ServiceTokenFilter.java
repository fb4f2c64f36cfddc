package ai.sovereign.runtime.security;

import ai.sovereign.runtime.errors.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.function.UnaryOperator;

/**
 * Refuses requests to protected paths (configured prefixes) without a valid service token in
 * {@code X-Sovereign-Token} (or {@code Authorization: Bearer}), with 401 and an OpenAI error body; on success the
 * verified {@link Caller} is a request attribute for the controller ({@link #caller(HttpRequest)}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ServiceTokenFilter implements Ordered {

    public static final String TOKEN_HEADER = "X-Sovereign-Token";
    private static final String CALLER = "sovereign.caller";

    private final SecuritySettings settings;
    private final ServiceTokenVerifier verifier;

    public ServiceTokenFilter(SecuritySettings settings, ServiceTokenVerifier verifier) {
        this.settings = settings;
        this.verifier = verifier;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 10;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<ErrorBody> authenticate(HttpRequest<?> request) {
        String path = request.getPath();
        if (settings.protectedPaths().stream().noneMatch(path::startsWith)) {
            return null;
        }
        String token = token(request);
        if (token == null) {
            return unauthorized("a service token is required (X-Sovereign-Token); call through the gateway");
        }
        try {
            request.setAttribute(CALLER, verifier.verify(token));
            return null;
        } catch (InvalidTokenException e) {
            return unauthorized(e.getMessage());
        }
    }

    private static HttpResponse<ErrorBody> unauthorized(String message) {
        return HttpResponse.<ErrorBody>status(HttpStatus.UNAUTHORIZED)
                .body(ErrorBody.of(message, ErrorBody.typeFor(401), "invalid_service_token", null));
    }

    /**
     * The service token a request carries: {@code X-Sovereign-Token}, else {@code Authorization: Bearer}; null when
     * there is none. Verified by this filter on protected paths.
     */
    public static @Nullable String token(HttpRequest<?> request) {
        return token(request.getHeaders()::get);
    }

    /** The same from a header look-up (null when absent): for the Netty fast lanes, which have no Micronaut request. */
    public static @Nullable String token(UnaryOperator<String> headers) {
        String token = headers.apply(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            String authorization = headers.apply("Authorization");
            token = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring(7).trim()
                    : null;
        }
        return token == null || token.isBlank() ? null : token;
    }

    /** The verified caller of a protected request; 401 if there is none. */
    public static Caller caller(HttpRequest<?> request) {
        return request.getAttribute(CALLER, Caller.class)
                .orElseThrow(() -> new ai.sovereign.runtime.errors.ApiException(
                        HttpStatus.UNAUTHORIZED, "a service token is required", "invalid_service_token", null));
    }
}
