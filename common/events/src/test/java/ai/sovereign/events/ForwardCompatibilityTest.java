package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.node.ObjectNode;

/** What a newer producer may send that this build must still read. */
class ForwardCompatibilityTest {

    private final EventCodec codec = new EventCodec();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Sample.class)
    void unknownEnvelopeAttributesAreIgnored(Sample sample) {
        ObjectNode json = JsonTree.parse(codec.encode(sample.event()));
        json.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        json.put("dataschema", "https://schemas.example/v1.json");
        json.putObject("futureextension").put("nested", true);
        assertEquals(sample.event(), codec.decode(JsonTree.bytes(json)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Sample.class)
    void unknownDataFieldsAreIgnored(Sample sample) {
        ObjectNode json = JsonTree.parse(codec.encode(sample.event()));
        ObjectNode data = (ObjectNode) json.get("data");
        data.put("addedInV1_1", "some value");
        data.putArray("alsoNew").add(1).add(2);
        data.putObject("nestedNew").put("x", 1.5);
        assertEquals(sample.event(), codec.decode(JsonTree.bytes(json)));
    }

    @Test
    void unknownFieldsInNestedRecordsAreIgnored() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.TELEMETRY.event()));
        ((ObjectNode) JsonTree.at(json, "data.gpus[0]")).putObject("mig").put("enabled", false);
        ((ObjectNode) JsonTree.at(json, "data.host")).put("swapUsedBytes", 0);
        ((ObjectNode) JsonTree.at(json, "data.gpuSource")).put("driverVersion", "550.54.15");
        ((ObjectNode) JsonTree.at(json, "data.servers[0].loadedModels[0]")).put("digest", "sha256:6a0746a1ec1a");
        assertEquals(Sample.TELEMETRY.event(), codec.decode(JsonTree.bytes(json)));
    }

    @Test
    void enumValuesAreReadIgnoringCase() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.TELEMETRY.event()));
        JsonTree.set(json, "data.servers[0].type", JsonTree.value("\"ollama\""));
        JsonTree.set(json, "data.gpuSource.status", JsonTree.value("\"ok\""));
        assertEquals(Sample.TELEMETRY.event(), codec.decode(JsonTree.bytes(json)));
    }

    @Test
    void timestampsWithAnOffsetAreReadAsTheSameInstant() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.USAGE.event()));
        JsonTree.set(json, "time", JsonTree.value("\"2026-03-01T12:15:30.123456+02:00\""));
        JsonTree.set(json, "data.startedAt", JsonTree.value("\"2026-03-01T05:15:26.012-05:00\""));
        CloudEvent<UsageRecord> decoded = codec.decode(JsonTree.bytes(json), UsageRecord.class);
        assertEquals(Instant.parse("2026-03-01T10:15:30.123456Z"), decoded.time());
        assertEquals(Sample.USAGE.event(), decoded);
    }

    @Test
    void absentDataContentTypeAndJsonWithParametersAreAccepted() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.COMMAND.event()));
        json.put("datacontenttype", "application/json; charset=utf-8");
        assertEquals(Sample.COMMAND.data(), codec.decode(JsonTree.bytes(json)).data());
        json.remove("datacontenttype");
        assertEquals(Sample.COMMAND.data(), codec.decode(JsonTree.bytes(json)).data());
    }

    @Test
    void integralJsonNumbersAreAcceptedForDecimalFields() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.USAGE.event()));
        JsonTree.set(json, "data.durationMs", JsonTree.value("1211"));
        assertEquals(
                1211.0,
                codec.decode(JsonTree.bytes(json), UsageRecord.class).data().durationMs());
    }
}
