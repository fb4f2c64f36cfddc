package ai.sovereign.router.api;

import ai.sovereign.router.balance.RoutingHint;
import ai.sovereign.router.forward.ClientContext;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.InvalidTokenException;
import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import ai.sovereign.runtime.security.ServiceTokenVerifier;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Who sent an inference request: the key id and tenant of its verified service token (the gateway's for its clients,
 * ingestion's for its own work), never a header the caller could set; the request id; the session id. On a path among
 * {@code sovereign.security.protected-paths} (by default {@code /v1}) a request without a valid token is refused with
 * 401; elsewhere one without a token is {@value ClientContext#ANONYMOUS}. Shared by the controller and the Netty fast
 * path.
 */
@Singleton
public class ClientContexts {

    private final ServiceTokenVerifier tokens;
    private final SecuritySettings security;

    public ClientContexts(ServiceTokenVerifier tokens, SecuritySettings security) {
        this.tokens = tokens;
        this.security = security;
    }

    /**
     * @param path      the request's path, without the query
     * @param headers   the request's header by name (null when absent)
     * @param requestId the request's id, or null for a fresh one
     */
    ClientContext of(String path, UnaryOperator<String> headers, String requestId) {
        String keyId = ClientContext.ANONYMOUS;
        String tenant = ClientContext.ANONYMOUS;
        String token = ServiceTokenFilter.token(headers);
        if (token != null) {
            Caller caller = verified(token);
            keyId = caller.subject();
            tenant = caller.tenant();
        } else if (security.protectedPaths().stream().anyMatch(path::startsWith)) {
            throw unauthorized("a service token is required (X-Sovereign-Token); call through the gateway");
        }
        return new ClientContext(
                requestId == null ? UUID.randomUUID().toString() : requestId,
                keyId,
                tenant,
                Instant.now(),
                System.nanoTime(),
                headers.apply(RoutingHint.SESSION_HEADER));
    }

    private Caller verified(String token) {
        try {
            return tokens.verify(token);
        } catch (InvalidTokenException e) {
            throw unauthorized(e.getMessage());
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, message, "invalid_service_token", null);
    }
}
