package ai.sovereign.gateway.auth;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.audit.GatewayAudit;
import ai.sovereign.gateway.keys.KeyService;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.Role;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Map;

/**
 * The authenticate and authorise steps of every request: bearer key → {@link KeyContext} (401 otherwise), role
 * check and model check (403 otherwise). Each refusal is counted and audited, failed authentications up to {@link
 * FailedAuthentications}' limit per client address and minute; past it, the address gets 429 (audited once).
 */
@Singleton
public class RequestAuthenticator {

    private final KeyService keys;
    private final GatewayAudit audit;
    private final GatewayMetrics metrics;
    private final FailedAuthentications failures;

    public RequestAuthenticator(
            KeyService keys, GatewayAudit audit, GatewayMetrics metrics, FailedAuthentications failures) {
        this.keys = keys;
        this.audit = audit;
        this.metrics = metrics;
        this.failures = failures;
    }

    /**
     * The caller when its key is in the lookup cache and usable, without blocking (for the event loop); null when
     * {@link #authenticate(HttpRequest)} has to decide (cache miss, or a refusal, which it explains and audits).
     */
    public @io.micronaut.core.annotation.Nullable KeyContext authenticateCached(HttpRequest<?> request) {
        ai.sovereign.gateway.keys.ApiKey key = keys.cachedUsable(presentedKey(request));
        return key == null
                ? null
                : new KeyContext(
                        key,
                        RequestIdFilter.of(request),
                        request.getRemoteAddress().getAddress().getHostAddress());
    }

    private static String presentedKey(HttpRequest<?> request) {
        return bearer(request.getHeaders().getAuthorization().orElse(null));
    }

    private static String bearer(@io.micronaut.core.annotation.Nullable String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    public KeyContext authenticate(HttpRequest<?> request) {
        return authenticate(
                request.getHeaders().getAuthorization().orElse(null),
                request.getMethodName(),
                request.getPath(),
                request.getRemoteAddress().getAddress().getHostAddress(),
                RequestIdFilter.of(request));
    }

    /**
     * The caller of a request known by its head alone (its body may not have been read yet): {@code authorization} is
     * the header as sent. Throws the 401 ({@link ApiException}) or 429 ({@link AuthenticationThrottledException})
     * the client gets, counted and audited. May query the key store: not for the event loop unless {@link
     * #cachedUsable} said yes.
     */
    public KeyContext authenticate(
            @io.micronaut.core.annotation.Nullable String authorization,
            String method,
            String path,
            String address,
            String requestId) {
        String presented = bearer(authorization);
        if (failures.blocked(address)) {
            // a key already in the cache costs nothing to check; anything else waits for the window to end
            ai.sovereign.gateway.keys.ApiKey cached = keys.cachedUsable(presented);
            if (cached != null) {
                return new KeyContext(cached, requestId, address);
            }
            metrics.authFailure();
            metrics.rateLimited("auth_failures");
            String message = "too many failed authentications from " + address + " (more than " + failures.limit()
                    + " a minute); retry later";
            if (failures.refusedWhileBlocked(address)) {
                audit.record(
                        GatewayAudit.Actor.ANONYMOUS,
                        "auth.throttled",
                        "client_address",
                        address,
                        AuditEvent.Outcome.DENIED,
                        message,
                        new GatewayAudit.Origin(requestId, address),
                        Map.of("max_failures_per_minute", failures.limit()));
            }
            throw new AuthenticationThrottledException(message, failures.retryAfterSeconds(address));
        }
        try {
            return new KeyContext(keys.authenticate(presented), requestId, address);
        } catch (KeyService.AuthenticationFailure e) {
            metrics.authFailure();
            if (failures.failed(address)) {
                audit.record(
                        GatewayAudit.Actor.ANONYMOUS,
                        "auth.failure",
                        "endpoint",
                        path,
                        AuditEvent.Outcome.FAILURE,
                        e.getMessage(),
                        new GatewayAudit.Origin(requestId, address),
                        Map.of("method", method));
            }
            throw new ApiException(HttpStatus.UNAUTHORIZED, e.getMessage(), "invalid_api_key", null);
        }
    }

    /** Whether the key in {@code authorization} is in the lookup cache and usable: decided without blocking. */
    public boolean cachedUsable(@io.micronaut.core.annotation.Nullable String authorization) {
        return keys.cachedUsable(bearer(authorization)) != null;
    }

    /** Authenticates and requires one of {@code roles}. */
    public KeyContext authenticate(HttpRequest<?> request, Role... roles) {
        KeyContext context = authenticate(request);
        if (!Arrays.asList(roles).contains(context.key().role())) {
            String reason = "role " + context.key().role().wireName() + " may not use " + request.getPath()
                    + "; it needs "
                    + String.join(
                            " or ", Arrays.stream(roles).map(Role::wireName).toList());
            deny(context, "endpoint", request.getPath(), reason);
            throw new ApiException(HttpStatus.FORBIDDEN, reason, "insufficient_role", null);
        }
        return context;
    }

    /** 403 unless the key may use {@code model}. */
    public void requireModel(KeyContext context, String model) {
        if (!ModelPolicy.allows(context.key().allowedModels(), model)) {
            String reason = "API key " + context.key().idString() + " may not use model '" + model + "'";
            deny(context, "model", model, reason);
            throw new ApiException(HttpStatus.FORBIDDEN, reason, "model_not_allowed", "model");
        }
    }

    private void deny(KeyContext context, String resourceType, String resourceId, String reason) {
        audit.record(
                context.actor(),
                "permission.denied",
                resourceType,
                resourceId,
                AuditEvent.Outcome.DENIED,
                reason,
                context.origin(),
                Map.of());
    }
}
