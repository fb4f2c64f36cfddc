package ai.sovereign.runtime.health;

import java.io.File;
import java.util.Map;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** Free disk space where the service writes, DOWN under a threshold (default 100 MiB). */
@Singleton
public class DiskSpaceHealthCheck implements HealthCheck {

    private final File path;
    private final long thresholdBytes;

    public DiskSpaceHealthCheck(@Value("${sovereign.health.disk.path:.}") String path,
                                @Value("${sovereign.health.disk.threshold-bytes:104857600}") long thresholdBytes) {
        this.path = new File(path);
        this.thresholdBytes = thresholdBytes;
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public HealthResult check() {
        long free = path.getUsableSpace();
        Map<String, Object> details = Map.of("path", path.getAbsolutePath(), "freeBytes", free,
                "totalBytes", path.getTotalSpace(), "thresholdBytes", thresholdBytes);
        return free >= thresholdBytes ? HealthResult.up(details) : HealthResult.down(details);
    }
}
