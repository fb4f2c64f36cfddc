package ai.sovereign.local;

import ai.sovereign.runtime.security.PlatformKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform in one process: the embedded servers, then every service on them, then the simulated GPU
 * hosts. Closing it stops everything in reverse order.
 */
public final class AllInOne implements AutoCloseable {

    private final LocalSettings settings;
    private final EmbeddedPlatform platform;
    private final List<GpuHost> gpuHosts;
    private final PlatformServices services;

    private AllInOne(
            LocalSettings settings, EmbeddedPlatform platform, List<GpuHost> gpuHosts, PlatformServices services) {
        this.settings = settings;
        this.platform = platform;
        this.gpuHosts = gpuHosts;
        this.services = services;
    }

    public static AllInOne start(LocalSettings settings) throws IOException {
        EmbeddedPlatform platform = EmbeddedPlatform.start(settings);
        List<GpuHost> hosts = new ArrayList<>();
        try {
            String secret = PlatformSecret.loadOrCreate(settings.dataDir());
            PlatformKeys keys = PlatformKeys.loadOrGenerate(settings.dataDir().resolve("keys"));
            List<InferenceServer> fleet = new ArrayList<>(settings.externalServers());
            if (settings.simulatedHosts()) {
                for (int i = 0; i < 2; i++) {
                    int port = settings.randomServicePorts() ? 0 : 11434 + i;
                    GpuHost host = GpuHost.start("gpu-host-" + (i + 1), port, 42 + i);
                    hosts.add(host);
                    fleet.add(host.inferenceServer());
                }
            }
            return new AllInOne(
                    settings,
                    platform,
                    List.copyOf(hosts),
                    PlatformServices.start(platform, settings, secret, keys, hosts, fleet));
        } catch (IOException | RuntimeException e) {
            hosts.forEach(GpuHost::close);
            platform.close();
            throw e;
        }
    }

    /** Host id → base URL of its simulated inference server. */
    public Map<String, String> inferenceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        gpuHosts.forEach(host -> urls.put(host.hostId(), host.inferenceUrl()));
        return urls;
    }

    public LocalSettings settings() {
        return settings;
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
            gpuHosts.forEach(GpuHost::close);
            platform.close();
        }
    }
}
