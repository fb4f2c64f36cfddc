package ai.sovereign.gpuagent.host;

import ai.sovereign.events.GpuTelemetry.HostStats;
import ai.sovereign.gpuagent.AgentSettings;
import com.sun.management.OperatingSystemMXBean;
import jakarta.inject.Singleton;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU, memory and model-disk statistics of the host. Memory in use is total minus {@code MemAvailable} from
 * {@code /proc/meminfo} on Linux (what the kernel could give a new process), else total minus free from the JVM.
 */
@Singleton
public final class HostStatsReader {

    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final String modelDir;

    public HostStatsReader(AgentSettings settings) {
        this.modelDir = settings.modelDir();
    }

    public HostStats read() {
        double cpu = os.getCpuLoad();
        Long total = null;
        Long used = null;
        long[] meminfo = meminfo();
        if (meminfo != null) {
            total = meminfo[0];
            used = meminfo[0] - meminfo[1];
        } else if (os.getTotalMemorySize() > 0) {
            total = os.getTotalMemorySize();
            used = total - os.getFreeMemorySize();
        }
        Long diskFree = null;
        Long diskTotal = null;
        String path = null;
        if (modelDir != null && !modelDir.isBlank()) {
            File dir = new File(modelDir);
            path = dir.getAbsolutePath();
            if (dir.exists()) {
                diskFree = dir.getUsableSpace();
                diskTotal = dir.getTotalSpace();
            }
        }
        return new HostStats(cpu >= 0 && !Double.isNaN(cpu) ? cpu : null, total, used, path, diskFree, diskTotal);
    }

    /** {MemTotal, MemAvailable} in bytes, or null where /proc/meminfo is absent or lacks them. */
    private static long[] meminfo() {
        if (!Files.isReadable(MEMINFO)) {
            return null;
        }
        try {
            long total = -1;
            long available = -1;
            try (java.io.BufferedReader lines = Files.newBufferedReader(MEMINFO)) {
                String line;
                while ((total < 0 || available < 0) && (line = lines.readLine()) != null) {
                    if (line.startsWith("MemTotal:")) {
                        total = kibibytes(line);
                    } else if (line.startsWith("MemAvailable:")) {
                        available = kibibytes(line);
                    }
                }
            }
            return total > 0 && available >= 0 ? new long[] {total, available} : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static long kibibytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).strip().split("\\s+", -1);
        return Long.parseLong(parts[0]) * 1024L;
    }
}
