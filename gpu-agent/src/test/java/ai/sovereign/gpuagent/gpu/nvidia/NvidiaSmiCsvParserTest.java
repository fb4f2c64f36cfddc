package ai.sovereign.gpuagent.gpu.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry.GpuStats;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser reads each fixture into GPUs, and absent markers into absent values, never zero. */
class NvidiaSmiCsvParserTest {

    private static final long MIB = 1024L * 1024L;

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of(
                        "one-gpu.csv",
                        1,
                        0,
                        new GpuStats(
                                0,
                                "GPU-5fd4a3c2-7b1e-4d09-9a3f-1c2b3d4e5f60",
                                "NVIDIA H100 80GB HBM3",
                                81559 * MIB,
                                47104 * MIB,
                                33945 * MIB,
                                0.87,
                                0.41,
                                63.0,
                                512.37,
                                700.0,
                                1980,
                                true,
                                0L)),
                Arguments.of(
                        "eight-gpus.csv",
                        8,
                        7,
                        new GpuStats(
                                7,
                                "GPU-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c07",
                                "NVIDIA A100-SXM4-80GB",
                                81920 * MIB,
                                7003 * MIB,
                                (81920 - 7003 - 510) * MIB,
                                0.70,
                                0.35,
                                37.0,
                                130.5,
                                400.0,
                                910,
                                true,
                                1L)),
                Arguments.of(
                        "not-available.csv",
                        1,
                        0,
                        new GpuStats(
                                0,
                                "GPU-9c8b7a65-4321-4fed-8cba-0987654321ab",
                                "NVIDIA GeForce RTX 3090",
                                24576 * MIB,
                                1024 * MIB,
                                23290 * MIB,
                                0.03,
                                0.01,
                                38.0,
                                null,
                                350.0,
                                210,
                                false,
                                null)),
                Arguments.of(
                        "not-supported.csv",
                        1,
                        0,
                        new GpuStats(
                                0,
                                "GPU-1f2e3d4c-5b6a-4798-8a9b-cdef01234567",
                                "NVIDIA GeForce GTX 1650",
                                4096 * MIB,
                                312 * MIB,
                                3784 * MIB,
                                null,
                                null,
                                40.0,
                                null,
                                null,
                                300,
                                null,
                                null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void parsesEveryGpuOfTheFixtureWithUnitsConverted(String fixture, int gpuCount, int checkedGpu, GpuStats expected) {
        List<GpuStats> gpus = NvidiaSmiCsvParser.parse(Fixtures.text(fixture));

        assertEquals(gpuCount, gpus.size());
        GpuStats actual = gpus.get(checkedGpu);
        assertEquals(expected.index(), actual.index());
        assertEquals(expected.uuid(), actual.uuid());
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.memoryTotalBytes(), actual.memoryTotalBytes());
        assertEquals(expected.memoryUsedBytes(), actual.memoryUsedBytes());
        assertEquals(expected.memoryFreeBytes(), actual.memoryFreeBytes());
        assertClose(expected.utilizationRatio(), actual.utilizationRatio());
        assertClose(expected.memoryUtilizationRatio(), actual.memoryUtilizationRatio());
        assertEquals(expected.temperatureCelsius(), actual.temperatureCelsius());
        assertEquals(expected.powerDrawWatts(), actual.powerDrawWatts());
        assertEquals(expected.powerLimitWatts(), actual.powerLimitWatts());
        assertEquals(expected.smClockMhz(), actual.smClockMhz());
        assertEquals(expected.persistenceMode(), actual.persistenceMode());
        assertEquals(expected.eccErrorsUncorrected(), actual.eccErrorsUncorrected());
    }

    @ParameterizedTest(name = "\"{0}\" is absent")
    @MethodSource("absentMarkers")
    void absentMarkersBecomeNullNotZero(String marker) {
        GpuStats gpu = NvidiaSmiCsvParser.parse("3, GPU-x, Tesla T4, 15360, " + marker + ", " + marker + ", " + marker
                        + ", " + marker + ", " + marker + ", " + marker + ", " + marker + ", " + marker + ", " + marker
                        + ", " + marker)
                .getFirst();

        assertEquals(3, gpu.index());
        assertEquals(15360 * MIB, gpu.memoryTotalBytes());
        assertNull(gpu.memoryUsedBytes());
        assertNull(gpu.utilizationRatio());
        assertNull(gpu.temperatureCelsius());
        assertNull(gpu.powerDrawWatts());
        assertNull(gpu.smClockMhz());
        assertNull(gpu.persistenceMode());
        assertNull(gpu.eccErrorsUncorrected());
    }

    static Stream<String> absentMarkers() {
        return Stream.of("[N/A]", "[Not Supported]", "[Unknown Error]", "[GPU requires reset]", "N/A");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedOutputIsRejectedNamingTheLineAndField(String output, String expectedInMessage) {
        NvidiaSmiFormatException e =
                assertThrows(NvidiaSmiFormatException.class, () -> NvidiaSmiCsvParser.parse(output));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(Fixtures.text("invalid-field.txt"), "line 1: expected 14 comma-separated values"),
                Arguments.of(
                        "0, GPU-x, T4, lots, 1, 1, 1, 1, 1, 1, 1, 1, Enabled, 0",
                        "line 1, memory.total: expected a number"),
                Arguments.of(
                        "0, GPU-x, T4, 1, 1, 1, 1, 1, 1, 1, 1, 1, Maybe, 0",
                        "persistence_mode: expected Enabled or Disabled"),
                Arguments.of(
                        "[N/A], GPU-x, T4, 1, 1, 1, 1, 1, 1, 1, 1, 1, Enabled, 0",
                        "index, uuid and name are required"));
    }

    @org.junit.jupiter.api.Test
    void emptyOutputMeansNoGpus() {
        assertEquals(List.of(), NvidiaSmiCsvParser.parse("\n"));
    }

    private static void assertClose(Double expected, Double actual) {
        if (expected == null) {
            assertNull(actual);
        } else {
            assertEquals(expected, actual, 1e-9);
        }
    }
}
