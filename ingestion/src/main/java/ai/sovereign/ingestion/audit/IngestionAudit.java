package ai.sovereign.ingestion.audit;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.runtime.kafka.EventPublisher;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events for uploads, deletes, searches and chats on {@code audit.events.v1}, sent without blocking the request.
 * Query and question text is included only for tenants listed in {@code ingestion.audit.query-text-tenants}.
 */
@Singleton
public class IngestionAudit {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionAudit.class);

    private final EventPublisher events;
    private final Set<String> queryTextTenants;

    public IngestionAudit(EventPublisher events, AuditSettings settings) {
        this.events = events;
        this.queryTextTenants = new HashSet<>(settings.queryTextTenants());
    }

    public boolean mayRecordText(String tenant) {
        return queryTextTenants.contains(tenant);
    }

    public void record(
            HttpRequest<?> request,
            Caller caller,
            String action,
            String resourceType,
            String resourceId,
            Map<String, Object> details) {
        AuditEvent event = new AuditEvent(
                caller.subject(),
                caller.role() == Role.SERVICE ? AuditEvent.ActorType.SERVICE : AuditEvent.ActorType.API_KEY,
                caller.tenant(),
                action,
                resourceType,
                resourceId,
                AuditEvent.Outcome.SUCCESS,
                null,
                request.getAttribute(RequestIdFilter.ATTRIBUTE, String.class).orElse(null),
                request.getRemoteAddress().getAddress() == null
                        ? null
                        : request.getRemoteAddress().getAddress().getHostAddress(),
                details);
        try {
            events.publish(CloudEvent.of("/ingestion", resourceId, event)).exceptionally(e -> {
                LOG.warn("audit event {} for {} was not sent: {}", action, resourceId, e.getMessage());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("audit event {} for {} was not sent: {}", action, resourceId, e.getMessage());
        }
    }
}
