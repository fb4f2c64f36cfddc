package ai.sovereign.gateway.auth;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.audit.GatewayAudit;
import ai.sovereign.gateway.keys.ApiKey;
import io.micronaut.core.annotation.Nullable;

/** An authenticated request: the key that made it, its request id and the client's address. */
public record KeyContext(
        ApiKey key, String requestId, @Nullable String clientAddress) {

    public GatewayAudit.Actor actor() {
        return new GatewayAudit.Actor(key.idString(), AuditEvent.ActorType.API_KEY, key.tenant());
    }

    public GatewayAudit.Origin origin() {
        return new GatewayAudit.Origin(requestId, clientAddress);
    }
}
