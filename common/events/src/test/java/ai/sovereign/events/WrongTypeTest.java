package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** A value of the wrong JSON type (or an out-of-range one) is rejected with the field's path and the value seen. */
class WrongTypeTest {

    private final EventCodec codec = new EventCodec();

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                // sample, path, JSON put there, the problem reported
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.gpus[0].index",
                        "\"abc\"",
                        "data.gpus[0].index: expected integer, got \"abc\""),
                Arguments.of(Sample.USAGE, "data.promptTokens", "1.5", "data.promptTokens: expected integer, got 1.5"),
                Arguments.of(
                        Sample.USAGE,
                        "data.promptTokens",
                        "\"412\"",
                        "data.promptTokens: expected integer, got \"412\""),
                Arguments.of(
                        Sample.USAGE,
                        "data.completionTokens",
                        "3000000000",
                        "data.completionTokens: expected integer, got 3000000000"),
                Arguments.of(Sample.USAGE, "data.stream", "\"true\"", "data.stream: expected boolean, got \"true\""),
                Arguments.of(
                        Sample.USAGE, "data.durationMs", "\"fast\"", "data.durationMs: expected number, got \"fast\""),
                Arguments.of(
                        Sample.USAGE,
                        "data.timeToFirstTokenMs",
                        "true",
                        "data.timeToFirstTokenMs: expected number, got true"),
                Arguments.of(
                        Sample.USAGE,
                        "data.status",
                        "\"MAYBE\"",
                        "data.status: expected one of [SUCCESS, ERROR, CANCELLED, REJECTED], got \"MAYBE\""),
                Arguments.of(
                        Sample.USAGE,
                        "data.startedAt",
                        "\"yesterday\"",
                        "data.startedAt: expected RFC 3339 timestamp, got \"yesterday\""),
                Arguments.of(
                        Sample.USAGE,
                        "data.startedAt",
                        "1772360126012",
                        "data.startedAt: expected RFC 3339 timestamp, got 1772360126012"),
                Arguments.of(
                        Sample.USAGE,
                        "data.startedAt",
                        "\"2026-03-01T10:15:26\"",
                        "data.startedAt: expected RFC 3339 timestamp, got \"2026-03-01T10:15:26\""),
                Arguments.of(Sample.USAGE, "data.requestId", "42", "data.requestId: expected string, got 42"),
                Arguments.of(Sample.TELEMETRY, "data.gpus", "{}", "data.gpus: expected array, got an object"),
                Arguments.of(Sample.TELEMETRY, "data.host", "[]", "data.host: expected object, got an array"),
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.gpus[1].persistenceMode",
                        "\"Enabled\"",
                        "data.gpus[1].persistenceMode: expected boolean, got \"Enabled\""),
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.gpus[0].powerDrawWatts",
                        "\"[N/A]\"",
                        "data.gpus[0].powerDrawWatts: expected number, got \"[N/A]\""),
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.gpuSource.status",
                        "\"BROKEN\"",
                        "data.gpuSource.status: expected one of [OK, MISSING, FAILED], got \"BROKEN\""),
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.servers[0].models[1]",
                        "7",
                        "data.servers[0].models[1]: expected string, got 7"),
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.servers[0].loadedModels[0]",
                        "null",
                        "data.servers[0].loadedModels[0]: element must not be null"),
                Arguments.of(
                        Sample.TELEMETRY,
                        "data.servers[1].type",
                        "\"tgi\"",
                        "data.servers[1].type: expected one of [OLLAMA, OPENAI, VLLM], got \"tgi\""),
                Arguments.of(Sample.AUDIT, "data.details", "\"none\"", "data.details: expected object, got \"none\""),
                Arguments.of(
                        Sample.INGESTION,
                        "data.sizeBytes",
                        "\"482113\"",
                        "data.sizeBytes: expected integer, got \"482113\""),
                Arguments.of(
                        Sample.COMMAND_RESULT,
                        "data.progressRatio",
                        "[0.25]",
                        "data.progressRatio: expected number, got an array"),
                Arguments.of(Sample.COMMAND, "time", "1772360130", "time: expected RFC 3339 timestamp, got 1772360130"),
                Arguments.of(Sample.COMMAND, "id", "12", "id: expected string, got 12"),
                Arguments.of(Sample.COMMAND, "id", "\"\"", "id: must be a non-empty string"),
                Arguments.of(Sample.COMMAND, "data", "\"PULL llama3\"", "data: expected object, got \"PULL llama3\""),
                Arguments.of(
                        Sample.COMMAND,
                        "specversion",
                        "\"0.3\"",
                        "specversion: unsupported version \"0.3\", expected \"1.0\""),
                Arguments.of(
                        Sample.COMMAND,
                        "datacontenttype",
                        "\"application/xml\"",
                        "datacontenttype: expected \"application/json\", got \"application/xml\""),
                Arguments.of(
                        Sample.COMMAND,
                        "subject",
                        "{\"host\": \"gpu-host-01\"}",
                        "subject: expected string, got an object"));
    }

    @ParameterizedTest(name = "{1} = {2} is rejected")
    @MethodSource("wrongValues")
    void wrongValueIsRejectedNamingTheFieldAndTheValue(Sample sample, String path, String value, String problem) {
        ObjectNode json = JsonTree.parse(codec.encode(sample.event()));
        JsonTree.set(json, path, JsonTree.value(value));
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals(List.of(problem), e.problems());
    }

    @Test
    void longStringValuesAreShortenedInTheMessage() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.USAGE.event()));
        JsonTree.set(json, "data.promptTokens", JsonTree.value("\"" + "x".repeat(500) + "\""));
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals("data.promptTokens: expected integer, got \"" + "x".repeat(64) + "…\"", e.getMessage());
    }

    @Test
    void malformedJsonIsRejectedAsSuch() {
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode("{\"specversion\": "));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().startsWith("event: malformed JSON: "), e.getMessage());
    }

    @Test
    void jsonThatIsNotAnObjectIsRejected() {
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode("[1, 2]"));
        assertEquals("event: expected a JSON object, got an array", e.getMessage());
    }

    @Test
    void emptyInputIsRejected() {
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(new byte[0]));
        assertEquals("event: expected a JSON object, got nothing", e.getMessage());
    }
}
