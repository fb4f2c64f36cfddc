package ai.sovereign.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer writing {@link CloudEvent}s in the CloudEvents Kafka binding's structured mode: the record
 * value is the JSON envelope and the {@value #CONTENT_TYPE_HEADER} header is {@value #STRUCTURED_CONTENT_TYPE}.
 * Usable by class name ({@code value.serializer}); a {@code null} event (tombstone) is written as {@code null}.
 */
public final class CloudEventSerializer<T extends EventPayload> implements Serializer<CloudEvent<T>> {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private final EventCodec codec;

    public CloudEventSerializer() {
        this(new EventCodec());
    }

    public CloudEventSerializer(EventCodec codec) {
        this.codec = codec;
    }

    /** @throws SerializationException wrapping an {@link EventFormatException} if the event breaks its contract */
    @Override
    public byte[] serialize(String topic, CloudEvent<T> event) {
        if (event == null) {
            return null;
        }
        try {
            return codec.encode(event);
        } catch (EventFormatException e) {
            throw new SerializationException(
                    "cannot write CloudEvent " + event.id() + " to topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, CloudEvent<T> event) {
        byte[] value = serialize(topic, event);
        if (value != null && headers != null) {
            headers.remove(CONTENT_TYPE_HEADER);
            headers.add(CONTENT_TYPE_HEADER, STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        }
        return value;
    }
}
