package ai.sovereign.gpuagent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry.HostStats;
import ai.sovereign.gpuagent.AgentSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host statistics of the machine running the test. */
class HostStatsReaderTest {

    @TempDir
    Path models;

    @Test
    void reportsMemoryAndTheModelDirectorysFreeSpace() {
        HostStats stats = reader(models.toString()).read();

        assertNotNull(stats.memoryTotalBytes());
        assertTrue(
                stats.memoryUsedBytes() > 0 && stats.memoryUsedBytes() <= stats.memoryTotalBytes(), stats.toString());
        assertEquals(models.toAbsolutePath().toString(), stats.modelDiskPath());
        assertTrue(stats.diskFreeBytes() > 0 && stats.diskFreeBytes() <= stats.diskTotalBytes(), stats.toString());
        if (stats.cpuUtilizationRatio() != null) {
            assertTrue(stats.cpuUtilizationRatio() >= 0 && stats.cpuUtilizationRatio() <= 1, stats.toString());
        }
    }

    @Test
    void aMissingModelDirectoryIsNamedButHasNoFigures() {
        HostStats stats = reader(models.resolve("not-there").toString()).read();

        assertEquals(models.resolve("not-there").toAbsolutePath().toString(), stats.modelDiskPath());
        assertNull(stats.diskFreeBytes());
        assertNull(stats.diskTotalBytes());
    }

    @Test
    void noModelDirectoryConfiguredMeansNoDiskFigures() {
        HostStats stats = reader(null).read();

        assertNull(stats.modelDiskPath());
        assertNull(stats.diskFreeBytes());
    }

    private static HostStatsReader reader(String modelDir) {
        return new HostStatsReader(new AgentSettings(
                "h", Duration.ofSeconds(5), AgentSettings.GpuSourceKind.NVIDIA, modelDir, Duration.ofSeconds(1)));
    }
}
