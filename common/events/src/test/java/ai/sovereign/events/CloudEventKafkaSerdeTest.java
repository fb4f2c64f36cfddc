package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Kafka serializer and deserializer, exercised as a producer and consumer call them (no broker needed). */
class CloudEventKafkaSerdeTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Sample.class)
    void serializerOutputDeserializesToAnEqualEventResolvedByType(Sample sample) {
        try (CloudEventSerializer<EventPayload> serializer = new CloudEventSerializer<>();
                CloudEventDeserializer<EventPayload> deserializer = CloudEventDeserializer.forAnyKnownType()) {
            RecordHeaders headers = new RecordHeaders();
            byte[] value = serializer.serialize(sample.event().topic(), headers, sample.event());
            CloudEvent<EventPayload> read =
                    deserializer.deserialize(sample.event().topic(), headers, value);
            assertEquals(sample.event(), read);
            assertInstanceOf(sample.data().getClass(), read.data());
        }
    }

    @Test
    void serializerMarksTheRecordAsAStructuredCloudEvent() {
        try (CloudEventSerializer<EventPayload> serializer = new CloudEventSerializer<>()) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("content-type", "text/plain".getBytes(StandardCharsets.UTF_8));
            serializer.serialize(Topics.LLM_USAGE, headers, Sample.USAGE.event());
            Header[] contentTypes = headers.toArray();
            assertEquals(1, contentTypes.length);
            assertEquals("content-type", contentTypes[0].key());
            assertEquals(
                    "application/cloudevents+json; charset=UTF-8",
                    new String(contentTypes[0].value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void deserializerBoundToAPayloadClassReadsThatType() {
        try (CloudEventSerializer<UsageRecord> serializer = new CloudEventSerializer<>();
                CloudEventDeserializer<UsageRecord> deserializer =
                        CloudEventDeserializer.forPayload(UsageRecord.class)) {
            CloudEvent<UsageRecord> event = CloudEvent.of("/gateway", "req_1", (UsageRecord) Sample.USAGE.data());
            UsageRecord read = deserializer
                    .deserialize(Topics.LLM_USAGE, serializer.serialize(Topics.LLM_USAGE, event))
                    .data();
            assertEquals(412, read.promptTokens());
        }
    }

    @Test
    void deserializerBoundToAPayloadClassRejectsAnotherTypeNamingTheTopic() {
        byte[] audit = new EventCodec().encode(Sample.AUDIT.event());
        try (CloudEventDeserializer<UsageRecord> deserializer = CloudEventDeserializer.forPayload(UsageRecord.class)) {
            SerializationException e =
                    assertThrows(SerializationException.class, () -> deserializer.deserialize(Topics.LLM_USAGE, audit));
            assertEquals(
                    "cannot read CloudEvent from topic llm.usage.v1: type: expected \"ai.sovereign.llm.usage.v1\" "
                            + "(UsageRecord), got \"ai.sovereign.audit.event.v1\"",
                    e.getMessage());
            assertInstanceOf(EventFormatException.class, e.getCause());
        }
    }

    @Test
    void deserializerCreatedByClassNameCanBeBoundToAPayloadClassByConfiguration() {
        byte[] audit = new EventCodec().encode(Sample.AUDIT.event());
        try (CloudEventDeserializer<EventPayload> deserializer = new CloudEventDeserializer<>()) {
            deserializer.configure(
                    Map.of(CloudEventDeserializer.PAYLOAD_CLASS_CONFIG, FleetCommand.class.getName()), false);
            SerializationException e = assertThrows(
                    SerializationException.class, () -> deserializer.deserialize(Topics.FLEET_COMMANDS, audit));
            assertTrue(e.getMessage().contains("type: expected \"ai.sovereign.fleet.command.v1\""), e.getMessage());
            byte[] command = new EventCodec().encode(Sample.COMMAND.event());
            assertEquals(Sample.COMMAND.event(), deserializer.deserialize(Topics.FLEET_COMMANDS, command));
        }
    }

    @Test
    void deserializerCreatedByClassNameWithoutConfigurationResolvesByType() {
        try (CloudEventDeserializer<EventPayload> deserializer = new CloudEventDeserializer<>()) {
            deserializer.configure(Map.of(), false);
            byte[] audit = new EventCodec().encode(Sample.AUDIT.event());
            assertEquals(Sample.AUDIT.event(), deserializer.deserialize(Topics.AUDIT_EVENTS, audit));
        }
    }

    @Test
    void configuringAClassThatIsNotAPayloadFailsNamingTheProperty() {
        try (CloudEventDeserializer<EventPayload> deserializer = new CloudEventDeserializer<>()) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> deserializer.configure(
                            Map.of(CloudEventDeserializer.PAYLOAD_CLASS_CONFIG, "java.lang.String"), false));
            assertTrue(e.getMessage().contains(CloudEventDeserializer.PAYLOAD_CLASS_CONFIG), e.getMessage());
            assertThrows(
                    ConfigException.class,
                    () -> deserializer.configure(
                            Map.of(CloudEventDeserializer.PAYLOAD_CLASS_CONFIG, "ai.sovereign.events.NoSuchEvent"),
                            false));
        }
    }

    @Test
    void tombstonesPassThroughAsNull() {
        try (CloudEventSerializer<EventPayload> serializer = new CloudEventSerializer<>();
                CloudEventDeserializer<EventPayload> deserializer = CloudEventDeserializer.forAnyKnownType()) {
            assertNull(serializer.serialize(Topics.AUDIT_EVENTS, null));
            assertNull(deserializer.deserialize(Topics.AUDIT_EVENTS, null));
        }
    }

    @Test
    void malformedRecordValueIsASerializationExceptionNamingTheTopic() {
        try (CloudEventDeserializer<EventPayload> deserializer = CloudEventDeserializer.forAnyKnownType()) {
            SerializationException e = assertThrows(
                    SerializationException.class,
                    () -> deserializer.deserialize(Topics.GPU_TELEMETRY, "not json".getBytes(StandardCharsets.UTF_8)));
            assertTrue(
                    e.getMessage()
                            .startsWith("cannot read CloudEvent from topic gpu.telemetry.v1: event: malformed JSON"),
                    e.getMessage());
        }
    }

    @Test
    void serializerRefusesAnEventThatBreaksItsContract() {
        UsageRecord broken = new UsageRecord(
                "req_1",
                null,
                "acme",
                "m",
                null,
                "/v1/completions",
                false,
                1,
                1,
                null,
                1.0,
                UsageRecord.Status.SUCCESS,
                200,
                null,
                Instant.now());
        CloudEvent<UsageRecord> event = CloudEvent.of("/gateway", "req_1", broken);
        try (CloudEventSerializer<UsageRecord> serializer = new CloudEventSerializer<>()) {
            SerializationException e =
                    assertThrows(SerializationException.class, () -> serializer.serialize(Topics.LLM_USAGE, event));
            assertTrue(
                    e.getMessage().endsWith("to topic llm.usage.v1: data.keyId: required field must not be null"),
                    e.getMessage());
        }
    }
}
