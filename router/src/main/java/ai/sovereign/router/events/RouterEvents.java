package ai.sovereign.router.events;

import java.util.Map;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UsageRecord;
import ai.sovereign.runtime.kafka.EventPublisher;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router tells the rest of the platform: an audit event per control-plane change
 * ({@code audit.events.v1}) and a usage record per finished request ({@code llm.usage.v1}). Never on the request
 * path's critical section: a failed publish is logged, not thrown.
 */
@Singleton
public class RouterEvents {

    static final String SOURCE = "/sovereign/router";
    private static final Logger LOG = LoggerFactory.getLogger(RouterEvents.class);

    private final EventPublisher publisher;

    public RouterEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void usage(UsageRecord record) {
        send(CloudEvent.of(SOURCE, record.requestId(), record));
    }

    /** A control-plane change made by {@code actor} on {@code resourceType}/{@code resourceId}. */
    public void audit(String actor, String action, String resourceType, String resourceId, String requestId,
                      Map<String, Object> details) {
        AuditEvent event = new AuditEvent(actor, AuditEvent.ActorType.OPERATOR, AuditEvent.PLATFORM_TENANT, action,
                resourceType, resourceId, AuditEvent.Outcome.SUCCESS, null, requestId, null, details);
        send(CloudEvent.of(SOURCE, resourceType + "/" + resourceId, event));
    }

    private void send(CloudEvent<?> event) {
        try {
            publisher.publish(event).exceptionally(error -> {
                LOG.warn("publishing {} {} failed: {}", event.type(), event.id(), error.getMessage());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("publishing {} failed: {}", event.type(), e.getMessage());
        }
    }
}
