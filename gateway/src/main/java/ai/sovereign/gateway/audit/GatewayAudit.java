package ai.sovereign.gateway.audit;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.runtime.kafka.EventPublisher;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's audit trail entries ({@code audit.events.v1}): key lifecycle, authentication failures (never the
 * key material), permission denials, rate-limit hits and admin calls. Publishing never blocks or fails a request:
 * events go out on a virtual thread and a failure is logged.
 */
@Singleton
public class GatewayAudit {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayAudit.class);
    private static final String SOURCE = "/gateway";

    private final EventPublisher publisher;

    public GatewayAudit(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Who did something: a key (id, tenant) or, before authentication, nobody known. */
    public record Actor(String id, AuditEvent.ActorType type, String tenant) {
        public static final Actor ANONYMOUS =
                new Actor("anonymous", AuditEvent.ActorType.API_KEY, AuditEvent.PLATFORM_TENANT);
    }

    /** Where a request came from, for the trail. */
    public record Origin(
            @Nullable String requestId, @Nullable String clientAddress) {}

    public void record(
            Actor actor,
            String action,
            String resourceType,
            String resourceId,
            AuditEvent.Outcome outcome,
            @Nullable String reason,
            Origin origin,
            Map<String, Object> details) {
        AuditEvent event = new AuditEvent(
                actor.id(),
                actor.type(),
                actor.tenant(),
                action,
                resourceType,
                resourceId,
                outcome,
                reason,
                origin.requestId(),
                origin.clientAddress(),
                details);
        Thread.ofVirtual().name("audit-publish").start(() -> {
            try {
                publisher
                        .publish(CloudEvent.of(SOURCE, resourceType + "/" + resourceId, event))
                        .join();
            } catch (RuntimeException e) {
                LOG.warn("audit event {} {} could not be published: {}", action, resourceId, e.getMessage());
            }
        });
    }
}
