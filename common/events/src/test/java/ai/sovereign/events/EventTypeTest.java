package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class EventTypeTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void topicNamesAreTheVersionedNamesOfTheDesign() {
        assertEquals("audit.events.v1", Topics.AUDIT_EVENTS);
        assertEquals("llm.usage.v1", Topics.LLM_USAGE);
        assertEquals("gpu.telemetry.v1", Topics.GPU_TELEMETRY);
        assertEquals("fleet.commands.v1", Topics.FLEET_COMMANDS);
        assertEquals("fleet.command-results.v1", Topics.FLEET_COMMAND_RESULTS);
        assertEquals("ingestion.jobs.v1", Topics.INGESTION_JOBS);
        assertEquals(6, Topics.ALL.size());
    }

    @Test
    void eachTypeStringMapsToItsPayloadClassAndTopic() {
        assertEquals(Optional.of(EventType.AUDIT_EVENT), EventType.forType("ai.sovereign.audit.event.v1"));
        assertEquals(AuditEvent.class, EventType.AUDIT_EVENT.payloadClass());
        assertEquals(Topics.AUDIT_EVENTS, EventType.AUDIT_EVENT.topic());
        assertEquals(
                UsageRecord.class,
                EventType.forType("ai.sovereign.llm.usage.v1").orElseThrow().payloadClass());
        assertEquals(
                GpuTelemetry.class,
                EventType.forType("ai.sovereign.gpu.telemetry.v1").orElseThrow().payloadClass());
        assertEquals(
                FleetCommand.class,
                EventType.forType("ai.sovereign.fleet.command.v1").orElseThrow().payloadClass());
        assertEquals(
                FleetCommandResult.class,
                EventType.forType("ai.sovereign.fleet.command-result.v1")
                        .orElseThrow()
                        .payloadClass());
        assertEquals(
                IngestionJob.class,
                EventType.forType("ai.sovereign.ingestion.job.v1").orElseThrow().payloadClass());
        assertEquals(Optional.empty(), EventType.forType("ai.sovereign.nope.v1"));
    }

    @Test
    void everyTopicCarriesExactlyOneTypeAndEveryTypeEndsInItsVersion() {
        List<String> topics =
                Arrays.stream(EventType.values()).map(EventType::topic).toList();
        assertEquals(Topics.ALL, topics);
        for (EventType type : EventType.values()) {
            assertTrue(type.type().startsWith("ai.sovereign.") && type.type().endsWith(".v1"), type.type());
            assertEquals(type, EventType.forPayload(type.payloadClass()));
        }
    }

    @Test
    void everyPermittedPayloadRecordIsRegistered() {
        List<Class<?>> permitted = List.of(EventPayload.class.getPermittedSubclasses());
        List<Class<?>> registered = Arrays.stream(EventType.values())
                .<Class<?>>map(EventType::payloadClass)
                .toList();
        assertEquals(permitted.size(), registered.size());
        assertTrue(registered.containsAll(permitted));
    }

    @Test
    void unknownTypeIsRejectedWithTheKnownTypesListed() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.USAGE.event()));
        json.put("type", "ai.sovereign.llm.usage.v2");
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals(
                "type: unknown event type \"ai.sovereign.llm.usage.v2\"; known types: "
                        + "ai.sovereign.audit.event.v1, ai.sovereign.fleet.command-result.v1, ai.sovereign.fleet.command.v1, "
                        + "ai.sovereign.gpu.telemetry.v1, ai.sovereign.ingestion.job.v1, ai.sovereign.llm.usage.v1",
                e.getMessage());
    }

    @Test
    void decodingAsOnePayloadClassRejectsAnEventOfAnotherType() {
        byte[] audit = codec.encode(Sample.AUDIT.event());
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(audit, UsageRecord.class));
        assertEquals(
                "type: expected \"ai.sovereign.llm.usage.v1\" (UsageRecord), got \"ai.sovereign.audit.event.v1\"",
                e.getMessage());
    }

    @Test
    void decodingByTypeYieldsTheRegisteredRecordForAnExhaustiveSwitch() {
        for (Sample sample : Sample.values()) {
            EventPayload data = codec.decode(codec.encode(sample.event())).data();
            String key = switch (data) {
                case AuditEvent a -> a.tenant();
                case UsageRecord u -> u.keyId();
                case GpuTelemetry g -> g.hostId();
                case FleetCommand c -> c.hostId();
                case FleetCommandResult r -> r.hostId();
                case IngestionJob j -> j.sourceId();
            };
            assertEquals(sample.data().partitionKey(), key);
        }
    }

    @Test
    void fleetCommandResultStatusKnowsWhichStatusesAreTerminal() {
        List<FleetCommandResult.Status> terminal = Arrays.stream(FleetCommandResult.Status.values())
                .filter(FleetCommandResult.Status::isTerminal)
                .toList();
        assertEquals(
                List.of(
                        FleetCommandResult.Status.SUCCEEDED,
                        FleetCommandResult.Status.FAILED,
                        FleetCommandResult.Status.REFUSED),
                terminal);
    }
}
