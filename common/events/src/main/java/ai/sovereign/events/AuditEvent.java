package ai.sovereign.events;

import java.util.Map;

/**
 * One entry of the audit trail: who did what to which resource, and how it ended. Topic
 * {@value Topics#AUDIT_EVENTS}, keyed by tenant.
 *
 * @param actor         who acted: an API key id, a token subject, a service name
 * @param actorType     what kind of actor that is
 * @param tenant        the tenant the action concerns; {@value #PLATFORM_TENANT} when it concerns no single tenant
 * @param action        dotted verb, e.g. {@code key.create}, {@code auth.failure}, {@code backup.restore}
 * @param resourceType  kind of thing acted on, e.g. {@code api_key}, {@code model}, {@code backup}
 * @param resourceId    id of the thing acted on
 * @param outcome       how it ended
 * @param reason        why it failed or was denied; optional
 * @param requestId     the request that caused it; optional
 * @param clientAddress the client's IP address; optional
 * @param details       further action-specific facts (JSON values); may be empty, never null
 */
public record AuditEvent(
        String actor,
        ActorType actorType,
        String tenant,
        String action,
        String resourceType,
        String resourceId,
        Outcome outcome,
        @Nullable String reason,
        @Nullable String requestId,
        @Nullable String clientAddress,
        Map<String, Object> details)
        implements EventPayload {

    public static final String TYPE = "ai.sovereign.audit.event.v1";
    /** The tenant of platform-wide actions (backups, fleet commands, configuration changes). */
    public static final String PLATFORM_TENANT = "_platform";

    public AuditEvent {
        details = Immutable.map(details);
    }

    @Override
    public String partitionKey() {
        return tenant;
    }

    public enum ActorType {
        API_KEY,
        SERVICE,
        OPERATOR,
        SYSTEM
    }

    public enum Outcome {
        SUCCESS,
        FAILURE,
        DENIED
    }
}
