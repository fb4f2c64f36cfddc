package ai.sovereign.audit.retention;

import ai.sovereign.audit.ingest.ConsumerSettings;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.UuidV7;
import ai.sovereign.runtime.kafka.KafkaEventPublisher;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces each partition drop as an audit event ({@code audit.retention.drop} on {@code audit_partition/<name>}) on
 * the audit topic this service consumes, so the drop lands in the trail it shortened, chained like any other event.
 */
@Singleton
public final class RetentionNotices {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionNotices.class);
    private static final EventCodec CODEC = new EventCodec();

    private final Producer<String, byte[]> producer;
    private final ConsumerSettings consumer;

    public RetentionNotices(
            @KafkaClient(KafkaEventPublisher.PRODUCER) Producer<String, byte[]> producer, ConsumerSettings consumer) {
        this.producer = producer;
        this.consumer = consumer;
    }

    /** Publishes the drop and waits for the broker; a warning to report when it could not be sent. */
    Optional<String> dropped(String actor, RetentionReport.Removal removal) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("table", removal.table());
        details.put("rows", removal.rows());
        details.put("from", removal.from());
        details.put("to", removal.to());
        details.put("file", removal.file());
        details.put("sha256", removal.sha256());
        details.put("bytes", removal.bytes());
        AuditEvent data = new AuditEvent(
                actor,
                actor.equals("system") ? AuditEvent.ActorType.SYSTEM : AuditEvent.ActorType.OPERATOR,
                AuditEvent.PLATFORM_TENANT,
                "audit.retention.drop",
                "audit_partition",
                removal.partition(),
                AuditEvent.Outcome.SUCCESS,
                null,
                null,
                null,
                details);
        CloudEvent<AuditEvent> event = new CloudEvent<>(
                CloudEvent.SPEC_VERSION,
                UuidV7.generate().toString(),
                "/audit-service",
                AuditEvent.TYPE,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                "audit_partition/" + removal.partition(),
                CloudEvent.DATA_CONTENT_TYPE,
                data);
        try {
            producer.send(new ProducerRecord<>(consumer.auditTopic(), data.partitionKey(), CODEC.encode(event)))
                    .get(10, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String warning = "the drop of " + removal.partition() + " is recorded in retention_exports but its audit"
                    + " event could not be published: " + e.getMessage();
            LOG.error(warning, e);
            return Optional.of(warning);
        }
    }
}
