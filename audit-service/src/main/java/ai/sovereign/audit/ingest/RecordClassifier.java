package ai.sovereign.audit.ingest;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.CanonicalJson;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventPayload;
import ai.sovereign.events.EventType;
import ai.sovereign.events.UsageRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decides what a Kafka record is, using the shared {@link EventCodec} for the contract (malformed JSON, unknown type,
 * missing or mistyped fields) and adding what the store needs on top: the type belongs on the topic it came from,
 * the id is a UUID, the time is within years 1–9999, text holds no NUL and no unpaired surrogate (PostgreSQL cannot
 * store those, and the hash would not survive them), and indexed identifiers are at most {@value #MAX_IDENTIFIER}
 * characters (a B-tree entry is limited to about 2.7 kB). Never throws: whatever is wrong becomes a
 * {@link Classified.Rejected} with the reason.
 */
public final class RecordClassifier {

    /** Longest actor, tenant, action, resource type, resource id or request id accepted. */
    public static final int MAX_IDENTIFIER = 256;

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final EventCodec codec = new EventCodec();
    private final String auditTopic;
    private final String usageTopic;

    public RecordClassifier(String auditTopic, String usageTopic) {
        this.auditTopic = auditTopic;
        this.usageTopic = usageTopic;
    }

    public Classified classify(KafkaRecord record) {
        try {
            return decide(record);
        } catch (RuntimeException e) {
            // the codec reports contract problems as EventFormatException naming the field; anything else is a
            // record we cannot read either, and must not stop the consumer
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Classified.Rejected(record, message);
        }
    }

    private Classified decide(KafkaRecord record) {
        if (record.value() == null || record.value().length == 0) {
            return new Classified.Rejected(record, "record has no value (tombstone or empty)");
        }
        CloudEvent<EventPayload> event = codec.decode(record.value());
        String expectedType = expectedType(record.topic());
        if (!event.type().equals(expectedType)) {
            return new Classified.Rejected(
                    record,
                    "type: \"" + event.type() + "\" does not belong on topic " + record.topic() + ", which carries \""
                            + expectedType + "\" only");
        }
        UUID id;
        try {
            id = UUID.fromString(event.id());
        } catch (IllegalArgumentException e) {
            return new Classified.Rejected(record, "id: must be a UUID (got \"" + abbreviate(event.id()) + "\")");
        }
        if (event.time().isBefore(EARLIEST) || event.time().isAfter(LATEST)) {
            return new Classified.Rejected(
                    record, "time: must be within the years 1 to 9999 (got " + event.time() + ")");
        }
        String problem = firstProblem(event.source(), "source", Integer.MAX_VALUE);
        problem = problem != null ? problem : firstProblem(event.subject(), "subject", Integer.MAX_VALUE);
        problem =
                problem != null ? problem : firstProblem(event.datacontenttype(), "datacontenttype", Integer.MAX_VALUE);
        if (problem != null) {
            return new Classified.Rejected(record, problem);
        }
        return switch (event.data()) {
            case AuditEvent audit -> audit(record, event, audit);
            case UsageRecord usage -> usage(record, id, event, usage);
            default -> new Classified.Rejected(record, "type: \"" + event.type() + "\" is not ingested here");
        };
    }

    @SuppressWarnings("unchecked")
    private Classified audit(KafkaRecord record, CloudEvent<EventPayload> event, AuditEvent audit) {
        String problem = firstOf(
                firstProblem(audit.actor(), "data.actor", MAX_IDENTIFIER),
                firstProblem(audit.tenant(), "data.tenant", MAX_IDENTIFIER),
                firstProblem(audit.action(), "data.action", MAX_IDENTIFIER),
                firstProblem(audit.resourceType(), "data.resourceType", MAX_IDENTIFIER),
                firstProblem(audit.resourceId(), "data.resourceId", MAX_IDENTIFIER),
                firstProblem(audit.requestId(), "data.requestId", MAX_IDENTIFIER),
                firstProblem(audit.reason(), "data.reason", Integer.MAX_VALUE),
                firstProblem(audit.clientAddress(), "data.clientAddress", Integer.MAX_VALUE),
                jsonProblem(audit.details(), "data.details"));
        if (problem != null) {
            return new Classified.Rejected(record, problem);
        }
        AuditEntry entry = AuditEntry.of((CloudEvent<AuditEvent>) (CloudEvent<?>) event);
        return new Classified.Audit(record, entry, entry.canonicalJson(), CanonicalJson.toString(entry.details()));
    }

    private Classified usage(KafkaRecord record, UUID id, CloudEvent<EventPayload> event, UsageRecord usage) {
        String problem = firstOf(
                firstProblem(usage.requestId(), "data.requestId", Integer.MAX_VALUE),
                firstProblem(usage.keyId(), "data.keyId", Integer.MAX_VALUE),
                firstProblem(usage.tenant(), "data.tenant", Integer.MAX_VALUE),
                firstProblem(usage.model(), "data.model", Integer.MAX_VALUE),
                firstProblem(usage.serverId(), "data.serverId", Integer.MAX_VALUE),
                firstProblem(usage.endpoint(), "data.endpoint", Integer.MAX_VALUE),
                firstProblem(usage.errorType(), "data.errorType", Integer.MAX_VALUE));
        if (problem == null
                && (usage.startedAt().isBefore(EARLIEST) || usage.startedAt().isAfter(LATEST))) {
            problem = "data.startedAt: must be within the years 1 to 9999 (got " + usage.startedAt() + ")";
        }
        if (problem != null) {
            return new Classified.Rejected(record, problem);
        }
        return new Classified.Usage(record, id, event.time().truncatedTo(ChronoUnit.MICROS), event.source(), usage);
    }

    private String expectedType(String topic) {
        if (topic.equals(auditTopic)) {
            return EventType.forPayload(AuditEvent.class).type();
        }
        if (topic.equals(usageTopic)) {
            return EventType.forPayload(UsageRecord.class).type();
        }
        throw new IllegalArgumentException("records from topic " + topic + " are not ingested here");
    }

    private static String firstOf(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Null when {@code value} can be stored as text and hashed, else what is wrong with it. */
    static String firstProblem(String value, String path, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return path + ": longer than " + maxLength + " characters (" + value.length() + ")";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return path + ": contains a NUL character, which PostgreSQL cannot store";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return path + ": contains an unpaired UTF-16 surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return path + ": contains an unpaired UTF-16 surrogate at index " + i;
            }
        }
        return null;
    }

    /** Null when the JSON value's strings and keys are storable and its numbers finite. */
    private static String jsonProblem(Object value, String path) {
        switch (value) {
            case null -> {
                return null;
            }
            case String s -> {
                return firstProblem(s, path, Integer.MAX_VALUE);
            }
            case Double d
            when d.isNaN() || d.isInfinite() -> {
                return path + ": number out of range";
            }
            case Float f
            when f.isNaN() || f.isInfinite() -> {
                return path + ": number out of range";
            }
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> member : map.entrySet()) {
                    String key = String.valueOf(member.getKey());
                    String problem = firstOf(
                            firstProblem(key, path + " key", Integer.MAX_VALUE),
                            jsonProblem(member.getValue(), path + "." + abbreviate(key)));
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            case Collection<?> list -> {
                int index = 0;
                for (Object element : list) {
                    String problem = jsonProblem(element, path + "[" + index++ + "]");
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }

    /** The topics this classifier knows. */
    public List<String> topics() {
        return List.of(auditTopic, usageTopic);
    }
}
