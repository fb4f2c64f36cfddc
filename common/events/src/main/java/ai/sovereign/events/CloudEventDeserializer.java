package ai.sovereign.events;

import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for {@link CloudEvent}s in structured mode. Either bound to one payload class (an
 * event of another type is an error), or resolving the payload class from the event's {@code type} (an unknown
 * type is an error). Errors are {@link SerializationException}s whose cause is the {@link EventFormatException}
 * naming the field; a {@code null} value (tombstone) reads as {@code null}.
 *
 * <p>By class name ({@code value.deserializer}), it resolves by type unless the consumer configuration sets
 * {@value #PAYLOAD_CLASS_CONFIG} to a payload class (or its name).
 */
public final class CloudEventDeserializer<T extends EventPayload> implements Deserializer<CloudEvent<T>> {

    /** Consumer property binding a deserializer created by class name to one payload class. */
    public static final String PAYLOAD_CLASS_CONFIG = "sovereign.events.payload.class";

    private final EventCodec codec;
    private Class<T> payloadClass;

    /** Resolves the payload class from each event's {@code type}, unless {@link #configure} binds one. */
    public CloudEventDeserializer() {
        this(new EventCodec(), null);
    }

    private CloudEventDeserializer(EventCodec codec, Class<T> payloadClass) {
        this.codec = codec;
        this.payloadClass = payloadClass;
    }

    /** Accepts only events of {@code payloadClass}'s registered type. */
    public static <T extends EventPayload> CloudEventDeserializer<T> forPayload(Class<T> payloadClass) {
        return new CloudEventDeserializer<>(new EventCodec(), payloadClass);
    }

    /** Accepts events of every registered type; switch over {@code data()}. */
    public static CloudEventDeserializer<EventPayload> forAnyKnownType() {
        return new CloudEventDeserializer<>(new EventCodec(), null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(PAYLOAD_CLASS_CONFIG);
        if (configured == null) {
            return;
        }
        Class<?> cls;
        try {
            cls = configured instanceof Class<?> c
                    ? c
                    : Class.forName(configured.toString().strip());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(PAYLOAD_CLASS_CONFIG, configured, "no such class");
        }
        if (!EventPayload.class.isAssignableFrom(cls) || cls == EventPayload.class) {
            throw new ConfigException(
                    PAYLOAD_CLASS_CONFIG,
                    configured,
                    "not an event payload record; expected one of "
                            + Arrays.stream(EventType.values())
                                    .map(t -> t.payloadClass().getName())
                                    .toList());
        }
        payloadClass = (Class<T>) cls;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CloudEvent<T> deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return payloadClass != null
                    ? codec.decode(data, payloadClass)
                    : (CloudEvent<T>) (CloudEvent<?>) codec.decode(data);
        } catch (EventFormatException e) {
            throw new SerializationException("cannot read CloudEvent from topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
