package ai.sovereign.backup.audit;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.runtime.kafka.EventPublisher;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Audit events for backup, verify, restore, delete and retention ({@code backup.*} actions on resource type {@code backup}). */
@Singleton
public class BackupAudit {

    private static final Logger LOG = LoggerFactory.getLogger(BackupAudit.class);
    private static final String SOURCE = "/backup-service";

    private final EventPublisher publisher;

    public BackupAudit(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Who acted, as the audit trail records it. */
    public record Actor(String subject, AuditEvent.ActorType type, String requestId) {
        public static Actor system() {
            return new Actor("backup-service", AuditEvent.ActorType.SYSTEM, null);
        }
    }

    /** Publishes and does not wait: a Kafka outage must not fail a backup; a failure to send is logged. */
    public void record(
            Actor actor,
            String action,
            String resourceId,
            AuditEvent.Outcome outcome,
            String reason,
            Map<String, Object> details) {
        publisher
                .publish(event(actor, action, resourceId, outcome, reason, details))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.warn("audit event {} for {} was not sent: {}", action, resourceId, error.toString());
                    }
                });
    }

    /** Publishes and waits for the broker's acknowledgement; throws if it does not come within {@code timeout}. */
    public void recordBefore(
            Actor actor, String action, String resourceId, Map<String, Object> details, Duration timeout)
            throws Exception {
        publisher
                .publish(event(actor, action, resourceId, AuditEvent.Outcome.SUCCESS, null, details))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CloudEvent<AuditEvent> event(
            Actor actor,
            String action,
            String resourceId,
            AuditEvent.Outcome outcome,
            String reason,
            Map<String, Object> details) {
        AuditEvent event = new AuditEvent(
                actor.subject(),
                actor.type(),
                AuditEvent.PLATFORM_TENANT,
                action,
                "backup",
                resourceId,
                outcome,
                reason,
                actor.requestId(),
                null,
                details);
        return CloudEvent.of(SOURCE, "backup/" + resourceId, event);
    }
}
