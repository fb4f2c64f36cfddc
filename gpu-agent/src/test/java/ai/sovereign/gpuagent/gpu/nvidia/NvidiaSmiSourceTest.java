package ai.sovereign.gpuagent.gpu.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry.SourceState;
import ai.sovereign.gpuagent.gpu.GpuReading;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Running a stand-in nvidia-smi: the exit code and output decide OK, MISSING or FAILED, with the reason. */
class NvidiaSmiSourceTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("one-gpu.csv", 0, SourceState.OK, 1, null),
                Arguments.of("eight-gpus.csv", 0, SourceState.OK, 8, null),
                Arguments.of("not-supported.csv", 0, SourceState.OK, 1, null),
                Arguments.of(
                        "driver-not-loaded.txt",
                        9,
                        SourceState.FAILED,
                        0,
                        "nvidia-smi exited with code 9: NVIDIA-SMI has failed because it couldn't communicate"),
                Arguments.of("no-devices.txt", 6, SourceState.MISSING, 0, "nvidia-smi found no GPU (exit 6)"),
                Arguments.of(
                        "invalid-field.txt",
                        2,
                        SourceState.FAILED,
                        0,
                        "exited with code 2: Field \"clocks.sm\" is not a valid field to query."),
                Arguments.of("invalid-field.txt", 0, SourceState.FAILED, 0, "unexpected nvidia-smi output: line 1"));
    }

    @ParameterizedTest(name = "{0} exit {1} -> {2}")
    @MethodSource("outcomes")
    void readingFollowsTheExitCodeAndOutput(String fixture, int exit, SourceState state, int gpus, String message) {
        Path binary = Fixtures.fakeNvidiaSmi(dir, fixture, exit);

        GpuReading reading = source(binary.toString(), Duration.ofSeconds(5)).read();

        assertEquals(
                state,
                reading.status().status(),
                String.valueOf(reading.status().message()));
        assertEquals(gpus, reading.gpus().size());
        if (message != null) {
            assertTrue(
                    reading.status().message().contains(message),
                    reading.status().message());
        }
    }

    @Test
    void aMissingBinaryIsMissingAndSaysWhichSettingToChange() {
        GpuReading reading = source(dir.resolve("no-such-nvidia-smi").toString(), Duration.ofSeconds(1))
                .read();

        assertEquals(SourceState.MISSING, reading.status().status());
        assertTrue(
                reading.status().message().contains("gpu-agent.nvidia-smi.path"),
                reading.status().message());
    }

    @Test
    void aBinaryNotOnPathIsMissing() {
        GpuReading reading = source("nvidia-smi-that-is-not-installed", Duration.ofSeconds(1))
                .read();

        assertEquals(SourceState.MISSING, reading.status().status());
        assertTrue(
                reading.status().message().contains("is not on PATH"),
                reading.status().message());
    }

    @Test
    void aHungBinaryIsKilledAfterTheTimeoutAndTheReadingFails() {
        Path hung = Fixtures.script(dir, "nvidia-smi-hung", "exec sleep 30\n");
        long start = System.nanoTime();

        GpuReading reading = source(hung.toString(), Duration.ofMillis(300)).read();

        assertEquals(SourceState.FAILED, reading.status().status());
        assertTrue(
                reading.status().message().contains("did not answer within 300 ms"),
                reading.status().message());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000, "gave up at the timeout");
    }

    @Test
    void theQueryAsksForTheDocumentedFieldsInCsvWithoutHeaderOrUnits() {
        Path echo = Fixtures.script(
                dir,
                "nvidia-smi-echo",
                "echo \"$@\" > '" + dir.resolve("args.txt") + "'\ncat '" + dir.resolve("one-gpu.csv") + "'\n");
        Fixtures.fakeNvidiaSmi(dir, "one-gpu.csv", 0);

        assertTrue(source(echo.toString(), Duration.ofSeconds(5)).read().isOk());
        String args = readArgs();
        assertEquals(
                "--query-gpu=" + String.join(",", NvidiaSmiCsvParser.FIELDS) + " --format=csv,noheader,nounits",
                args.strip());
    }

    private static String readArgs() {
        try {
            return java.nio.file.Files.readString(dir.resolve("args.txt"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static NvidiaSmiSource source(String path, Duration timeout) {
        return new NvidiaSmiSource(new NvidiaSmiSettings(path, timeout));
    }
}
