package ai.sovereign.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @Test
    void withoutFlagsServesTheDefaultModelsOnOllamasPortOnAllInterfaces() {
        SimulatorConfig config = CommandLine.parse(new String[0]);
        assertEquals(11434, config.port());
        assertEquals("0.0.0.0", config.host());
        assertEquals(SimulatorConfig.DEFAULT_MODELS, config.models());
        assertEquals(ModelBehaviour.defaults(), config.defaultBehaviour());
    }

    @Test
    void flagsSetServerSettingsAndTheDefaultBehaviour() {
        SimulatorConfig config = CommandLine.parse(new String[] {
            "--port",
            "18555",
            "--models",
            "a:1b, b:2b",
            "--seed=9",
            "--pull-ms",
            "50",
            "--io-threads",
            "1",
            "--ttft-ms",
            "5",
            "--inter-token-ms=0.5",
            "--output-tokens",
            "7",
            "--max-concurrency",
            "3",
            "--error-rate",
            "0.1",
            "--reset-after-tokens",
            "4",
            "--slow-start-ms",
            "20",
            "--load-ms",
            "30",
            "--embedding-dimensions",
            "64",
            "--hang",
            "--unavailable=false"
        });
        assertEquals(18555, config.port());
        assertEquals(List.of("a:1b", "b:2b"), config.models());
        assertEquals(9, config.seed());
        assertEquals(Duration.ofMillis(50), config.pullDuration());
        assertEquals(1, config.ioThreads());
        ModelBehaviour expected = new ModelBehaviour(
                Duration.ofMillis(5),
                Duration.ofNanos(500_000),
                7,
                3,
                0.1,
                false,
                4,
                true,
                Duration.ofMillis(20),
                Duration.ofMillis(30),
                64);
        assertEquals(expected, config.defaultBehaviour());
        assertEquals(expected, config.behaviourOf("a:1b"));
    }

    @Test
    void configFileSetsModelsAndPerModelBehaviourAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.json");
        Files.writeString(file, """
                {"port": 9000, "seed": 3, "pullMs": 10,
                 "defaultBehaviour": {"ttftMs": 100, "outputTokens": 5},
                 "models": {"big:70b": {"maxConcurrency": 1, "ttftMs": 400}, "small:1b": {}}}
                """);
        SimulatorConfig config =
                CommandLine.parse(new String[] {"--config", file.toString(), "--port", "9100", "--output-tokens", "6"});
        assertEquals(9100, config.port(), "flags win over the file");
        assertEquals(3, config.seed());
        assertEquals(List.of("big:70b", "small:1b"), config.models());
        assertEquals(Duration.ofMillis(100), config.behaviourOf("small:1b").timeToFirstToken());
        assertEquals(6, config.behaviourOf("small:1b").outputTokens());
        ModelBehaviour big = config.behaviourOf("big:70b");
        assertEquals(1, big.maxConcurrency());
        assertEquals(Duration.ofMillis(400), big.timeToFirstToken(), "the file's per-model block wins for its model");
        assertEquals(6, big.outputTokens());
    }

    @Test
    void modelsFlagReplacesTheFilesModelList(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.json");
        Files.writeString(file, "{\"models\": [\"x:1b\", \"y:1b\"]}");
        assertEquals(
                List.of("x:1b", "y:1b"),
                CommandLine.parse(new String[] {"--config", file.toString()}).models());
        assertEquals(
                List.of("z:1b"),
                CommandLine.parse(new String[] {"--config", file.toString(), "--models", "z:1b"})
                        .models());
    }

    @Test
    void invalidInputIsRejectedNamingTheFlagOrKey(@TempDir Path dir) throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--bogus", "1"}))
                .getMessage()
                .contains("--bogus"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--ttft-ms", "soon"}))
                .getMessage()
                .contains("--ttft-ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--port"}))
                .getMessage()
                .contains("--port"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> CommandLine.parse(new String[] {"--error-rate", "3"}))
                .getMessage()
                .contains("errorRate"));
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"prot\": 1}");
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> CommandLine.parse(new String[] {"--config", file.toString()}))
                .getMessage()
                .contains("prot"));
        assertTrue(CommandLine.wantsHelp(new String[] {"--help"}));
    }
}
