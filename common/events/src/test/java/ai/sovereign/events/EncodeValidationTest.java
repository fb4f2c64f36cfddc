package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry.GpuSourceStatus;
import ai.sovereign.events.GpuTelemetry.HostStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A producer cannot write an event that a consumer would reject. */
class EncodeValidationTest {

    private final EventCodec codec = new EventCodec();

    private static UsageRecord usage(String requestId, double durationMs) {
        return new UsageRecord(
                requestId,
                "ak_1",
                "acme",
                "llama3.1:8b",
                null,
                "/api/chat",
                false,
                10,
                20,
                null,
                durationMs,
                UsageRecord.Status.SUCCESS,
                200,
                null,
                Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void nullRequiredFieldIsRejectedOnEncodeNamingTheField() {
        CloudEvent<UsageRecord> event = CloudEvent.of("/gateway", "req_1", usage(null, 5.0));
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.encode(event));
        assertEquals(List.of("data.requestId: required field must not be null"), e.problems());
    }

    @Test
    void nonFiniteNumberIsRejectedOnEncode() {
        CloudEvent<UsageRecord> event = CloudEvent.of("/gateway", "req_1", usage("req_1", Double.NaN));
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.encode(event));
        assertEquals("data.durationMs: expected number, got NaN", e.getMessage());
    }

    @Test
    void nullListElementIsRejectedOnEncode() {
        List<GpuTelemetry.GpuStats> gpus = new ArrayList<>();
        gpus.add(null);
        GpuTelemetry telemetry = new GpuTelemetry(
                "gpu-host-01",
                "0.1.0",
                5,
                Instant.parse("2026-03-01T10:00:00Z"),
                new GpuSourceStatus(GpuTelemetry.SourceState.OK, null),
                gpus,
                new HostStats(null, null, null, null, null, null),
                List.of());
        EventFormatException e = assertThrows(
                EventFormatException.class, () -> codec.encode(CloudEvent.of("/gpu-agent", "gpu-host-01", telemetry)));
        assertEquals("data.gpus[0]: element must not be null", e.getMessage());
    }

    @Test
    void typeThatDoesNotMatchThePayloadIsRejectedOnEncode() {
        CloudEvent<EventPayload> event = new CloudEvent<>(
                "1.0",
                UuidV7.generate().toString(),
                "/gateway",
                AuditEvent.TYPE,
                Instant.now(),
                null,
                null,
                Sample.USAGE.data());
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.encode(event));
        assertEquals(
                "type: expected \"ai.sovereign.llm.usage.v1\" (UsageRecord), got \"ai.sovereign.audit.event.v1\"",
                e.getMessage());
    }

    @Test
    void envelopeWithoutIdOrWithAnotherSpecVersionIsRejectedOnEncode() {
        CloudEvent<EventPayload> event = new CloudEvent<>(
                "0.3", null, "/gateway", UsageRecord.TYPE, Instant.now(), null, null, Sample.USAGE.data());
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.encode(event));
        assertEquals(
                List.of(
                        "id: required field must not be null",
                        "specversion: unsupported version \"0.3\", expected \"1.0\""),
                e.problems());
    }

    @Test
    void recordsCopyTheirCollectionsSoLaterChangesDoNotLeakIn() {
        Map<String, Object> details = new HashMap<>(Map.of("role", "user"));
        AuditEvent audit = new AuditEvent(
                "ak_1",
                AuditEvent.ActorType.API_KEY,
                "acme",
                "key.create",
                "api_key",
                "ak_2",
                AuditEvent.Outcome.SUCCESS,
                null,
                null,
                null,
                details);
        details.put("role", "admin");
        assertEquals("user", audit.details().get("role"));
        assertThrows(UnsupportedOperationException.class, () -> audit.details().put("x", 1));
        assertTrue(codec.encodeToString(CloudEvent.of("/gateway", "api_key/ak_2", audit))
                .contains("\"role\":\"user\""));
    }
}
