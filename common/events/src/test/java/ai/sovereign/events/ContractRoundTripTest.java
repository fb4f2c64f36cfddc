package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class ContractRoundTripTest {

    private final EventCodec codec = new EventCodec();

    /** Encodes the sample, asserts it decodes (by type and by class) to an equal event, and returns the wire JSON. */
    private JsonNode roundTrip(Sample sample) {
        byte[] json = codec.encode(sample.event());
        assertEquals(sample.event(), codec.decode(json));
        CloudEvent<? extends EventPayload> typed =
                codec.decode(json, sample.data().getClass());
        assertEquals(sample.event(), typed);
        assertInstanceOf(sample.data().getClass(), typed.data());
        return JsonTree.parse(json);
    }

    private static void assertWire(JsonNode wire, String path, String expectedJson) {
        assertEquals(JsonTree.value(expectedJson), JsonTree.at(wire, path), path);
    }

    @Test
    void auditEventSurvivesJsonRoundTripWithCamelCaseFieldsAndUpperCaseEnums() {
        JsonNode wire = roundTrip(Sample.AUDIT);
        assertWire(wire, "data.actor", "\"ak_7f3c2a\"");
        assertWire(wire, "data.actorType", "\"API_KEY\"");
        assertWire(wire, "data.action", "\"key.create\"");
        assertWire(wire, "data.resourceType", "\"api_key\"");
        assertWire(wire, "data.outcome", "\"SUCCESS\"");
        assertWire(wire, "data.clientAddress", "\"10.20.30.40\"");
        assertWire(wire, "data.details.allowedModels", "[\"llama3.1:8b\", \"qwen2.5:14b\"]");
        assertWire(wire, "data.details.rpmLimit", "600");
    }

    @Test
    void usageRecordSurvivesJsonRoundTripWithTokenCountsAndTimings() {
        JsonNode wire = roundTrip(Sample.USAGE);
        assertWire(wire, "data.keyId", "\"ak_7f3c2a\"");
        assertWire(wire, "data.stream", "true");
        assertWire(wire, "data.promptTokens", "412");
        assertWire(wire, "data.completionTokens", "57");
        assertWire(wire, "data.timeToFirstTokenMs", "183.4");
        assertWire(wire, "data.durationMs", "1210.7");
        assertWire(wire, "data.status", "\"ERROR\"");
        assertWire(wire, "data.httpStatus", "200");
        assertWire(wire, "data.startedAt", "\"2026-03-01T10:15:26.012Z\"");
    }

    @Test
    void gpuTelemetrySurvivesJsonRoundTripIncludingNestedGpusHostAndServers() {
        JsonNode wire = roundTrip(Sample.TELEMETRY);
        assertWire(wire, "data.gpuSource.status", "\"OK\"");
        assertWire(wire, "data.gpus[0].memoryTotalBytes", "85520809984");
        assertWire(wire, "data.gpus[0].utilizationRatio", "0.87");
        assertWire(wire, "data.gpus[0].persistenceMode", "true");
        assertWire(wire, "data.gpus[1].eccErrorsUncorrected", "null");
        assertWire(wire, "data.host.modelDiskPath", "\"/var/lib/ollama/models\"");
        assertWire(wire, "data.servers[0].type", "\"OLLAMA\"");
        assertWire(wire, "data.servers[0].loadedModels[0].expiresAt", "\"2026-03-01T10:20:30.500Z\"");
        assertWire(wire, "data.servers[1].kvCacheUsageRatio", "0.62");
        assertWire(wire, "data.servers[2].error", "\"connect timed out after 2000 ms\"");
    }

    @Test
    void fleetCommandSurvivesJsonRoundTrip() {
        JsonNode wire = roundTrip(Sample.COMMAND);
        assertWire(wire, "data.commandId", "\"7d1f0c8e-2a4b-4c6d-8e0f-1a2b3c4d5e6f\"");
        assertWire(wire, "data.action", "\"PRELOAD\"");
        assertWire(wire, "data.serverUrl", "\"http://10.0.0.5:11434\"");
        assertWire(wire, "data.keepAlive", "\"10m\"");
        assertWire(wire, "data.requestedAt", "\"2026-03-01T10:15:00Z\"");
    }

    @Test
    void fleetCommandResultSurvivesJsonRoundTripWithProgress() {
        JsonNode wire = roundTrip(Sample.COMMAND_RESULT);
        assertWire(wire, "data.status", "\"IN_PROGRESS\"");
        assertWire(wire, "data.completedBytes", "1234567890");
        assertWire(wire, "data.totalBytes", "4920753328");
        assertWire(wire, "data.progressRatio", "0.2509");
        assertWire(wire, "data.at", "\"2026-03-01T10:15:12.250Z\"");
    }

    @Test
    void ingestionJobSurvivesJsonRoundTrip() {
        JsonNode wire = roundTrip(Sample.INGESTION);
        assertWire(wire, "data.action", "\"INGEST\"");
        assertWire(wire, "data.contentHash", "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"");
        assertWire(wire, "data.sizeBytes", "482113");
        assertWire(wire, "data.storagePath", "\"/var/lib/sovereign/ingestion/staging/acme/job_8b7c6d\"");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Sample.class)
    void encodingWritesExactlyTheGoldenJson(Sample sample) throws IOException {
        assertEquals(golden(sample), JsonTree.parse(codec.encode(sample.event())));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Sample.class)
    void decodingTheGoldenJsonGivesTheSample(Sample sample) throws IOException {
        assertEquals(sample.event(), codec.decode(JsonTree.bytes(golden(sample))));
    }

    @Test
    void everyRegisteredTypeHasASampleAndAGoldenFile() throws IOException {
        List<EventType> sampled =
                Arrays.stream(Sample.values()).map(s -> EventType.of(s.data())).toList();
        assertEquals(List.of(EventType.values()), sampled);
        for (Sample sample : Sample.values()) {
            assertTrue(golden(sample).isObject(), sample.goldenResource());
        }
    }

    private static JsonNode golden(Sample sample) throws IOException {
        try (InputStream in = ContractRoundTripTest.class.getResourceAsStream(sample.goldenResource())) {
            assertNotNull(in, "missing golden file " + sample.goldenResource());
            return JsonTree.parse(in.readAllBytes());
        }
    }
}
