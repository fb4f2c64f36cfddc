package ai.sovereign.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of known CloudEvents {@code type} strings: each with its payload record and its topic. */
public enum EventType {
    AUDIT_EVENT(AuditEvent.TYPE, AuditEvent.class, Topics.AUDIT_EVENTS),
    LLM_USAGE(UsageRecord.TYPE, UsageRecord.class, Topics.LLM_USAGE),
    GPU_TELEMETRY(GpuTelemetry.TYPE, GpuTelemetry.class, Topics.GPU_TELEMETRY),
    FLEET_COMMAND(FleetCommand.TYPE, FleetCommand.class, Topics.FLEET_COMMANDS),
    FLEET_COMMAND_RESULT(FleetCommandResult.TYPE, FleetCommandResult.class, Topics.FLEET_COMMAND_RESULTS),
    INGESTION_JOB(IngestionJob.TYPE, IngestionJob.class, Topics.INGESTION_JOBS);

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_PAYLOAD =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::payloadClass, Function.identity()));

    private final String type;
    private final Class<? extends EventPayload> payloadClass;
    private final String topic;

    EventType(String type, Class<? extends EventPayload> payloadClass, String topic) {
        this.type = type;
        this.payloadClass = payloadClass;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code ai.sovereign.audit.event.v1}. */
    public String type() {
        return type;
    }

    public Class<? extends EventPayload> payloadClass() {
        return payloadClass;
    }

    /** The topic events of this type are published on. */
    public String topic() {
        return topic;
    }

    /** The registered type with this {@code type} string, or empty when this build does not know it. */
    public static Optional<EventType> forType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** The type whose payload is {@code payloadClass}; every permitted {@link EventPayload} record has one. */
    public static EventType forPayload(Class<? extends EventPayload> payloadClass) {
        EventType eventType = BY_PAYLOAD.get(payloadClass);
        if (eventType == null) {
            throw new IllegalArgumentException(
                    "no event type is registered for payload class " + payloadClass.getName());
        }
        return eventType;
    }

    /** The type of this payload. */
    public static EventType of(EventPayload payload) {
        return forPayload(payload.getClass());
    }

    /** Every registered {@code type} string, sorted, for error messages and documentation. */
    public static List<String> knownTypes() {
        return BY_TYPE.keySet().stream().sorted().toList();
    }
}
