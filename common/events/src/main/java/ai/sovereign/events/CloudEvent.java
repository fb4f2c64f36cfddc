package ai.sovereign.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. On the wire the attribute names are exactly the component
 * names ({@code specversion}, {@code id}, ...); {@link EventCodec} reads and writes it.
 *
 * @param specversion     always {@value #SPEC_VERSION}
 * @param id              a UUIDv7 string, unique per event; consumers deduplicate on it
 * @param source          URI-reference of the producer, e.g. {@code /gateway} or {@code /gpu-agent/gpu-host-01}
 * @param type            the registered type of {@code data}, see {@link EventType}
 * @param time            when the event happened, RFC 3339 on the wire
 * @param subject         what the event is about within the source (request id, host id, ...); optional
 * @param datacontenttype {@value #DATA_CONTENT_TYPE}; optional on read, where absence means JSON
 * @param data            the payload
 */
public record CloudEvent<T extends EventPayload>(
        String specversion,
        String id,
        String source,
        String type,
        Instant time,
        @Nullable String subject,
        @Nullable String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    /** A new event of {@code data}'s registered type, with a fresh UUIDv7 id and the current time. */
    public static <T extends EventPayload> CloudEvent<T> of(String source, String subject, T data) {
        Objects.requireNonNull(data, "data");
        return of(source, EventType.of(data).type(), subject, data);
    }

    /**
     * A new event with a fresh UUIDv7 id and the current time (microsecond precision).
     *
     * @throws IllegalArgumentException if {@code type} is not the registered type of {@code data}'s class
     */
    public static <T extends EventPayload> CloudEvent<T> of(String source, String type, String subject, T data) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        String expected = EventType.of(data).type();
        if (!expected.equals(type)) {
            throw new IllegalArgumentException("type \"" + type + "\" does not match payload "
                    + data.getClass().getSimpleName() + ", whose type is \"" + expected + "\"");
        }
        return new CloudEvent<>(
                SPEC_VERSION,
                UuidV7.generate().toString(),
                source,
                type,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                subject,
                DATA_CONTENT_TYPE,
                data);
    }

    /** The topic this event belongs on, from its payload's registered type. */
    public String topic() {
        return EventType.of(data).topic();
    }

    /** The Kafka record key for this event, see {@link EventPayload#partitionKey()}. */
    public String partitionKey() {
        return data.partitionKey();
    }
}
