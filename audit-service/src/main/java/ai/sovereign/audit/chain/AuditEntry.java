package ai.sovereign.audit.chain;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One audit event exactly as the trail stores it and hashes it: the CloudEvents envelope attributes and the
 * {@link AuditEvent} fields, with the time at microsecond precision (what PostgreSQL keeps) and the id as a UUID.
 * Built from the decoded event at ingest and from the stored row at verification, so both produce the same
 * {@link #canonicalJson()}.
 */
public record AuditEntry(
        UUID id,
        Instant time,
        String type,
        String source,
        @Nullable String subject,
        @Nullable String datacontenttype,
        String actor,
        String actorType,
        String tenant,
        String action,
        String resourceType,
        String resourceId,
        String outcome,
        @Nullable String reason,
        @Nullable String requestId,
        @Nullable String clientAddress,
        Map<String, Object> details) {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public AuditEntry {
        time = time.truncatedTo(ChronoUnit.MICROS);
    }

    /** The entry for a decoded event; its id must be a UUID. */
    public static AuditEntry of(CloudEvent<AuditEvent> event) {
        AuditEvent data = event.data();
        return new AuditEntry(
                UUID.fromString(event.id()),
                event.time(),
                event.type(),
                event.source(),
                event.subject(),
                event.datacontenttype(),
                data.actor(),
                data.actorType().name(),
                data.tenant(),
                data.action(),
                data.resourceType(),
                data.resourceId(),
                data.outcome().name(),
                data.reason(),
                data.requestId(),
                data.clientAddress(),
                data.details());
    }

    /**
     * The canonical JSON (see {@link CanonicalJson}) of the event as a CloudEvent: {@code specversion} "1.0",
     * {@code id} as a lower-case UUID, {@code time} in UTC with exactly six fractional digits, optional attributes and
     * fields present as {@code null} when absent, and {@code data} holding the eleven {@link AuditEvent} fields.
     */
    public byte[] canonicalJson() {
        Map<String, Object> data = new HashMap<>(16);
        data.put("actor", actor);
        data.put("actorType", actorType);
        data.put("tenant", tenant);
        data.put("action", action);
        data.put("resourceType", resourceType);
        data.put("resourceId", resourceId);
        data.put("outcome", outcome);
        data.put("reason", reason);
        data.put("requestId", requestId);
        data.put("clientAddress", clientAddress);
        data.put("details", details);
        Map<String, Object> envelope = new HashMap<>(16);
        envelope.put("specversion", CloudEvent.SPEC_VERSION);
        envelope.put("id", id.toString());
        envelope.put("source", source);
        envelope.put("type", type);
        envelope.put("time", formatTime(time));
        envelope.put("subject", subject);
        envelope.put("datacontenttype", datacontenttype);
        envelope.put("data", data);
        return CanonicalJson.toBytes(envelope);
    }

    /** An instant as the canonical form writes it: UTC, six fractional digits, {@code Z}. */
    public static String formatTime(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
