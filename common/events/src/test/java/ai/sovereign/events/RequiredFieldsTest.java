package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/** The contracts' required and optional fields, spelled out as tables and checked one field at a time. */
class RequiredFieldsTest {

    private static final List<String> ENVELOPE_REQUIRED =
            List.of("specversion", "id", "source", "type", "time", "data");
    private static final List<String> ENVELOPE_OPTIONAL = List.of("subject", "datacontenttype");

    private static final Map<Sample, List<String>> REQUIRED = Map.of(
            Sample.AUDIT,
                    data("actor", "actorType", "tenant", "action", "resourceType", "resourceId", "outcome", "details"),
            Sample.USAGE,
                    data(
                            "requestId",
                            "keyId",
                            "tenant",
                            "model",
                            "endpoint",
                            "stream",
                            "promptTokens",
                            "completionTokens",
                            "durationMs",
                            "status",
                            "httpStatus",
                            "startedAt"),
            Sample.TELEMETRY,
                    data(
                            "hostId",
                            "agentVersion",
                            "intervalSeconds",
                            "collectedAt",
                            "gpuSource",
                            "gpuSource.status",
                            "gpus",
                            "gpus[0].index",
                            "gpus[0].uuid",
                            "gpus[0].name",
                            "host",
                            "servers",
                            "servers[0].id",
                            "servers[0].url",
                            "servers[0].type",
                            "servers[0].maxConcurrency",
                            "servers[0].healthy",
                            "servers[0].models",
                            "servers[0].loadedModels",
                            "servers[0].loadedModels[0].name"),
            Sample.COMMAND, data("commandId", "hostId", "action", "model", "requestedBy", "requestedAt"),
            Sample.COMMAND_RESULT, data("commandId", "hostId", "status", "message", "at"),
            Sample.INGESTION, data("jobId", "sourceId", "tenant", "action", "requestedBy", "requestedAt"));

    private static final Map<Sample, List<String>> OPTIONAL = Map.of(
            Sample.AUDIT, data("reason", "requestId", "clientAddress"),
            Sample.USAGE, data("serverId", "timeToFirstTokenMs", "errorType"),
            Sample.TELEMETRY,
                    data(
                            "gpuSource.message",
                            "gpus[0].memoryTotalBytes",
                            "gpus[0].memoryUsedBytes",
                            "gpus[0].memoryFreeBytes",
                            "gpus[0].utilizationRatio",
                            "gpus[0].memoryUtilizationRatio",
                            "gpus[0].temperatureCelsius",
                            "gpus[0].powerDrawWatts",
                            "gpus[0].powerLimitWatts",
                            "gpus[0].smClockMhz",
                            "gpus[0].persistenceMode",
                            "gpus[0].eccErrorsUncorrected",
                            "host.cpuUtilizationRatio",
                            "host.memoryTotalBytes",
                            "host.memoryUsedBytes",
                            "host.modelDiskPath",
                            "host.diskFreeBytes",
                            "host.diskTotalBytes",
                            "servers[0].error",
                            "servers[0].requestsRunning",
                            "servers[0].requestsWaiting",
                            "servers[0].kvCacheUsageRatio",
                            "servers[0].loadedModels[0].sizeVramBytes",
                            "servers[0].loadedModels[0].expiresAt"),
            Sample.COMMAND, data("serverUrl", "keepAlive"),
            Sample.COMMAND_RESULT, data("completedBytes", "totalBytes", "progressRatio"),
            Sample.INGESTION, List.of());

    /** Optional on the wire only for DELETE jobs; {@link IngestionJobRulesTest} covers them. */
    private static final List<String> INGEST_ONLY =
            data("fileName", "contentType", "contentHash", "sizeBytes", "storagePath");

    private final EventCodec codec = new EventCodec();

    private static List<String> data(String... names) {
        return Arrays.stream(names).map(n -> "data." + n).toList();
    }

    static Stream<Arguments> requiredFields() {
        Stream<Arguments> envelope = ENVELOPE_REQUIRED.stream().map(path -> Arguments.of(Sample.USAGE, path));
        Stream<Arguments> payloads = Arrays.stream(Sample.values())
                .flatMap(sample -> REQUIRED.get(sample).stream().map(path -> Arguments.of(sample, path)));
        return Stream.concat(envelope, payloads);
    }

    static Stream<Arguments> optionalFields() {
        Stream<Arguments> envelope = ENVELOPE_OPTIONAL.stream().map(path -> Arguments.of(Sample.AUDIT, path));
        Stream<Arguments> payloads = Arrays.stream(Sample.values())
                .flatMap(sample -> OPTIONAL.get(sample).stream().map(path -> Arguments.of(sample, path)));
        return Stream.concat(envelope, payloads);
    }

    private ObjectNode wire(Sample sample) {
        return JsonTree.parse(codec.encode(sample.event()));
    }

    @ParameterizedTest(name = "{0} without {1} is rejected")
    @MethodSource("requiredFields")
    void missingRequiredFieldIsRejectedNamingTheField(Sample sample, String path) {
        ObjectNode json = wire(sample);
        JsonTree.remove(json, path);
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals(List.of(path + ": required field is missing"), e.problems());
    }

    @ParameterizedTest(name = "{0} with null {1} is rejected")
    @MethodSource("requiredFields")
    void nullRequiredFieldIsRejectedNamingTheField(Sample sample, String path) {
        ObjectNode json = wire(sample);
        JsonTree.set(json, path, NullNode.getInstance());
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals(List.of(path + ": required field must not be null"), e.problems());
    }

    @ParameterizedTest(name = "{0} without {1} decodes it as null")
    @MethodSource("optionalFields")
    void absentOptionalFieldDecodesAsNull(Sample sample, String path) {
        ObjectNode json = wire(sample);
        JsonTree.remove(json, path);
        CloudEvent<EventPayload> decoded = assertDoesNotThrow(() -> codec.decode(JsonTree.bytes(json)));
        assertTrue(JsonTree.at(JsonTree.parse(codec.encode(decoded)), path).isNull(), path);
    }

    @Test
    void everyMissingFieldIsReportedAtOnce() {
        ObjectNode json = wire(Sample.USAGE);
        JsonTree.remove(json, "time");
        JsonTree.remove(json, "data.keyId");
        JsonTree.remove(json, "data.status");
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals(
                List.of(
                        "time: required field is missing",
                        "data.keyId: required field is missing",
                        "data.status: required field is missing"),
                e.problems());
        assertEquals(
                "time: required field is missing; data.keyId: required field is missing; "
                        + "data.status: required field is missing",
                e.getMessage());
    }

    /** Keeps the tables above honest: a new component must be added to one of them, with the right kind. */
    @Test
    void tablesListEveryComponentOfEveryContractAsItsNullableAnnotationSays() {
        for (Sample sample : Sample.values()) {
            Map<String, Boolean> declared = new TreeMap<>();
            walk(CloudEvent.class, "", declared);
            walk(sample.data().getClass(), "data", declared);

            Map<String, Boolean> tabled = new TreeMap<>();
            ENVELOPE_REQUIRED.forEach(path -> tabled.put(path, true));
            ENVELOPE_OPTIONAL.forEach(path -> tabled.put(path, false));
            REQUIRED.get(sample).forEach(path -> tabled.put(path, true));
            OPTIONAL.get(sample).forEach(path -> tabled.put(path, false));
            if (sample == Sample.INGESTION) {
                INGEST_ONLY.forEach(path -> tabled.put(path, false));
            }
            assertEquals(declared, tabled, sample.name());
        }
    }

    /** Collects path → required for each component, descending into records and lists of records at index 0. */
    private static void walk(Class<?> recordClass, String prefix, Map<String, Boolean> out) {
        for (RecordComponent component : recordClass.getRecordComponents()) {
            String path = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
            out.put(path, !component.isAnnotationPresent(Nullable.class));
            Type type = component.getGenericType();
            if (type instanceof Class<?> cls && cls.isRecord()) {
                walk(cls, path, out);
            } else if (type instanceof ParameterizedType generic
                    && generic.getRawType() == List.class
                    && generic.getActualTypeArguments()[0] instanceof Class<?> element
                    && element.isRecord()) {
                walk(element, path + "[0]", out);
            }
        }
    }
}
