package ai.sovereign.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@link CloudEvent}s as CloudEvents 1.0 structured JSON, and checks both directions against
 * the contracts, so that a producer cannot emit what a consumer would reject.
 *
 * <p>Wire format: attribute and field names are the record component names; instants are RFC 3339 strings in
 * UTC ({@code 2026-03-01T10:15:30.123456Z}), and any offset is accepted on read; enum values are written as the
 * Java constant name ({@code SUCCESS}, {@code API_KEY}, {@code OLLAMA}) and read ignoring case; null optional
 * fields are written as {@code null}; fields this build does not know are ignored at every level.
 *
 * <p>Instances are immutable and thread-safe; share one.
 */
public final class EventCodec {

    private static final Pattern COMPONENT_MESSAGE = Pattern.compile("[A-Za-z][A-Za-z0-9]*: .*", Pattern.DOTALL);

    // its own mapper, not the platform's: the contract module depends on nothing of ours and its wire format is fixed
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /**
     * The event as UTF-8 JSON.
     *
     * @throws EventFormatException if it breaks its contract: a required field is null, a number is not finite,
     *                              or its {@code type} is not the registered type of its data
     */
    public byte[] encode(CloudEvent<?> event) {
        Objects.requireNonNull(event, "event");
        JsonNode tree = mapper.valueToTree(event);
        validate(tree, event.data() == null ? null : event.data().getClass());
        return mapper.writeValueAsBytes(tree);
    }

    /** The event as a JSON string; see {@link #encode(CloudEvent)}. */
    public String encodeToString(CloudEvent<?> event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /**
     * An event of any registered type; switch over {@code data()} to handle it.
     *
     * @throws EventFormatException if the JSON is malformed, its {@code type} is unknown, or it breaks the contract
     */
    public CloudEvent<EventPayload> decode(byte[] json) {
        return decodeTree(readTree(json), null);
    }

    /** See {@link #decode(byte[])}. */
    public CloudEvent<EventPayload> decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An event whose payload must be {@code payloadClass}.
     *
     * @throws EventFormatException if the JSON is malformed, its {@code type} is not the one registered for
     *                              {@code payloadClass}, or it breaks the contract
     */
    public <T extends EventPayload> CloudEvent<T> decode(byte[] json, Class<T> payloadClass) {
        return decodeTree(readTree(json), Objects.requireNonNull(payloadClass, "payloadClass"));
    }

    /** See {@link #decode(byte[], Class)}. */
    public <T extends EventPayload> CloudEvent<T> decode(String json, Class<T> payloadClass) {
        return decode(json.getBytes(StandardCharsets.UTF_8), payloadClass);
    }

    private JsonNode readTree(byte[] json) {
        Objects.requireNonNull(json, "json");
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            throw new EventFormatException("event: malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T extends EventPayload> CloudEvent<T> decodeTree(JsonNode root, Class<? extends EventPayload> expected) {
        Class<? extends EventPayload> payloadClass = validate(root, expected);
        JavaType eventType = mapper.getTypeFactory().constructParametricType(CloudEvent.class, payloadClass);
        try {
            return mapper.treeToValue(root, eventType);
        } catch (ValueInstantiationException e) {
            // a cross-field rule in a record's constructor; its message starts with the component name
            String path = pathOf(e);
            String message =
                    e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage();
            throw new EventFormatException(
                    COMPONENT_MESSAGE.matcher(message).matches() ? path + "." + message : path + ": " + message, e);
        } catch (JacksonException e) {
            // not expected after validation: a gap between ShapeValidator and Jackson
            throw new EventFormatException(pathOf(e) + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks the envelope and, when its type resolves, the data; returns the payload class.
     *
     * @param expected the payload class the caller requires, or null to resolve it from {@code type}
     */
    private Class<? extends EventPayload> validate(JsonNode root, Class<? extends EventPayload> expected) {
        if (root == null || !root.isObject()) {
            throw new EventFormatException(
                    List.of("event: expected a JSON object, got " + ShapeValidator.describe(root)));
        }
        List<String> problems = new ArrayList<>();
        ShapeValidator.validateRecord(root, CloudEvent.class, "", problems);
        checkEnvelopeValues(root, problems);
        Class<? extends EventPayload> payloadClass = resolvePayloadClass(root.get("type"), expected, problems);
        JsonNode data = root.get("data");
        if (payloadClass != null && data != null && !data.isNull()) {
            ShapeValidator.validateRecord(data, payloadClass, "data", problems);
        }
        if (!problems.isEmpty()) {
            throw new EventFormatException(problems);
        }
        return payloadClass;
    }

    private static void checkEnvelopeValues(JsonNode root, List<String> problems) {
        JsonNode specversion = root.get("specversion");
        if (specversion != null
                && specversion.isString()
                && !CloudEvent.SPEC_VERSION.equals(specversion.stringValue())) {
            problems.add("specversion: unsupported version " + specversion + ", expected \"" + CloudEvent.SPEC_VERSION
                    + "\"");
        }
        for (String attribute : List.of("id", "source", "type")) {
            JsonNode value = root.get(attribute);
            if (value != null && value.isString() && value.stringValue().isEmpty()) {
                problems.add(attribute + ": must be a non-empty string");
            }
        }
        JsonNode contentType = root.get("datacontenttype");
        if (contentType != null && contentType.isString() && !isJson(contentType.stringValue())) {
            problems.add("datacontenttype: expected \"" + CloudEvent.DATA_CONTENT_TYPE + "\", got " + contentType);
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].strip();
        return mediaType.equalsIgnoreCase(CloudEvent.DATA_CONTENT_TYPE);
    }

    private static Class<? extends EventPayload> resolvePayloadClass(
            JsonNode type, Class<? extends EventPayload> expected, List<String> problems) {
        if (type == null || !type.isString() || type.stringValue().isEmpty()) {
            return null; // already reported by the envelope checks
        }
        String typeName = type.stringValue();
        if (expected != null) {
            String expectedType = EventType.forPayload(expected).type();
            if (!expectedType.equals(typeName)) {
                problems.add("type: expected \"" + expectedType + "\" (" + expected.getSimpleName() + "), got " + type);
                return null;
            }
            return expected;
        }
        return EventType.forType(typeName)
                .<Class<? extends EventPayload>>map(EventType::payloadClass)
                .orElseGet(() -> {
                    problems.add("type: unknown event type " + type + "; known types: "
                            + String.join(", ", EventType.knownTypes()));
                    return null;
                });
    }

    private static String pathOf(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "event" : path.toString();
    }
}
