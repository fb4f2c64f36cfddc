package ai.sovereign.router.api;

import ai.sovereign.router.balance.RoutingHint;
import ai.sovereign.router.forward.ClientContext;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Who sent an inference request, from its headers: the key id and tenant the gateway vouches for (its service token,
 * else its headers), the request id, the session id. Shared by the controller and the Netty fast path.
 */
@Singleton
public class ClientContexts {

    private final ServiceTokenCodec tokens;
    /**
     * Tokens verified already, until they expire: the gateway reuses one token per key for half its lifetime, so the
     * signature check and claim parsing are done once per token rather than once per request. Bounded.
     */
    private final ConcurrentHashMap<String, Caller> verifiedTokens = new ConcurrentHashMap<>();

    public ClientContexts(ServiceTokenCodec tokens) {
        this.tokens = tokens;
    }

    /**
     * @param headers   the request's header by name (null when absent)
     * @param requestId the request's id, or null for a fresh one
     */
    ClientContext of(UnaryOperator<String> headers, String requestId) {
        String keyId = headers.apply(ClientContext.KEY_ID_HEADER);
        String tenant = headers.apply(ClientContext.TENANT_HEADER);
        String token = headers.apply(ServiceTokenFilter.TOKEN_HEADER);
        if (token != null && !token.isBlank()) {
            Caller caller = verified(token);
            keyId = caller.subject();
            tenant = caller.tenant();
        }
        return new ClientContext(
                requestId == null ? UUID.randomUUID().toString() : requestId,
                keyId == null || keyId.isBlank() ? ClientContext.ANONYMOUS : keyId,
                tenant == null || tenant.isBlank() ? ClientContext.ANONYMOUS : tenant,
                Instant.now(),
                System.nanoTime(),
                headers.apply(RoutingHint.SESSION_HEADER));
    }

    private Caller verified(String token) {
        Caller known = verifiedTokens.get(token);
        if (known != null && Instant.now().isBefore(known.expiresAt())) {
            return known;
        }
        Caller caller;
        try {
            caller = tokens.verify(token);
        } catch (RuntimeException e) {
            verifiedTokens.remove(token);
            throw new ApiException(HttpStatus.UNAUTHORIZED, e.getMessage(), "invalid_service_token", null);
        }
        if (verifiedTokens.size() >= 10_000) {
            verifiedTokens.clear();
        }
        verifiedTokens.put(token, caller);
        return caller;
    }
}
