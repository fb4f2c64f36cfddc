package ai.sovereign.local;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The whole platform in one process: the embedded servers, then every service on them, then the simulated GPU
 * hosts. Closing it stops everything in reverse order.
 */
public final class AllInOne implements AutoCloseable {

    private final EmbeddedPlatform platform;
    private final PlatformServices services;

    private AllInOne(EmbeddedPlatform platform, PlatformServices services) {
        this.platform = platform;
        this.services = services;
    }

    public static AllInOne start(LocalSettings settings) throws IOException {
        EmbeddedPlatform platform = EmbeddedPlatform.start(settings);
        try {
            String secret = PlatformSecret.loadOrCreate(settings.dataDir());
            List<GpuHost> hosts = List.of(GpuHost.simulated("gpu-host-1"), GpuHost.simulated("gpu-host-2"));
            return new AllInOne(platform, PlatformServices.start(platform, settings, secret, hosts));
        } catch (IOException | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    public EmbeddedPlatform platform() {
        return platform;
    }

    /** Service name → base URL. */
    public Map<String, String> serviceUrls() {
        return services.urls();
    }

    @Override
    public void close() {
        try {
            services.close();
        } finally {
            platform.close();
        }
    }
}
