package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CloudEventTest {

    private static final String RFC_3339_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    private final EventCodec codec = new EventCodec();

    @Test
    void ofFillsSpecVersionContentTypeTypeAFreshUuidV7AndTheCurrentTime() {
        Instant before = Instant.now().minusMillis(1);
        CloudEvent<UsageRecord> event = CloudEvent.of("/gateway", "req_1", (UsageRecord) Sample.USAGE.data());
        Instant after = Instant.now().plusMillis(1);

        assertEquals("1.0", event.specversion());
        assertEquals("application/json", event.datacontenttype());
        assertEquals("ai.sovereign.llm.usage.v1", event.type());
        assertEquals("/gateway", event.source());
        assertEquals("req_1", event.subject());
        UUID id = UUID.fromString(event.id());
        assertEquals(7, id.version());
        assertTrue(
                !event.time().isBefore(before) && !event.time().isAfter(after),
                event.time().toString());
        assertTrue(Duration.between(UuidV7.timestampOf(id), event.time()).abs().toMillis() < 1000);
    }

    @Test
    void ofWithAnExplicitTypeAcceptsThePayloadsRegisteredType() {
        CloudEvent<AuditEvent> event =
                CloudEvent.of("/gateway", AuditEvent.TYPE, "api_key/ak_1", (AuditEvent) Sample.AUDIT.data());
        assertEquals("ai.sovereign.audit.event.v1", event.type());
    }

    @Test
    void ofRejectsATypeThatIsNotThePayloadsRegisteredType() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CloudEvent.of("/gateway", UsageRecord.TYPE, "x", (AuditEvent) Sample.AUDIT.data()));
        assertEquals(
                "type \"ai.sovereign.llm.usage.v1\" does not match payload AuditEvent, whose type is "
                        + "\"ai.sovereign.audit.event.v1\"",
                e.getMessage());
    }

    @Test
    void successiveEventsHaveStrictlyIncreasingIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(CloudEvent.of("/router", "host", Sample.TELEMETRY.data()).id());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i).compareTo(ids.get(i - 1)) > 0, ids.get(i - 1) + " !< " + ids.get(i));
        }
    }

    @Test
    void timeIsWrittenAsRfc3339InUtc() {
        JsonNode wire = JsonTree.parse(codec.encode(CloudEvent.of("/gateway", "req_1", Sample.USAGE.data())));
        String time = wire.get("time").stringValue();
        assertTrue(time.matches(RFC_3339_UTC), time);
        assertEquals(Instant.parse(time), OffsetDateTime.parse(time).toInstant());
    }

    @Test
    void envelopeOnTheWireHasExactlyTheCloudEventsAttributes() {
        JsonNode wire = JsonTree.parse(codec.encode(Sample.INGESTION.event()));
        Set<String> names = new TreeSet<>(wire.propertyNames());
        assertEquals(
                new TreeSet<>(
                        List.of("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data")),
                names);
        assertEquals("1.0", wire.get("specversion").stringValue());
    }

    @Test
    void topicAndPartitionKeyFollowThePayload() {
        assertEquals(Topics.AUDIT_EVENTS, Sample.AUDIT.event().topic());
        assertEquals("acme", Sample.AUDIT.event().partitionKey());
        assertEquals(Topics.LLM_USAGE, Sample.USAGE.event().topic());
        assertEquals("ak_7f3c2a", Sample.USAGE.event().partitionKey());
        assertEquals(Topics.GPU_TELEMETRY, Sample.TELEMETRY.event().topic());
        assertEquals("gpu-host-01", Sample.TELEMETRY.event().partitionKey());
        assertEquals(Topics.FLEET_COMMANDS, Sample.COMMAND.event().topic());
        assertEquals("gpu-host-01", Sample.COMMAND.event().partitionKey());
        assertEquals(Topics.FLEET_COMMAND_RESULTS, Sample.COMMAND_RESULT.event().topic());
        assertEquals("gpu-host-01", Sample.COMMAND_RESULT.event().partitionKey());
        assertEquals(Topics.INGESTION_JOBS, Sample.INGESTION.event().topic());
        assertEquals("src_3f9a2c", Sample.INGESTION.event().partitionKey());
    }
}
