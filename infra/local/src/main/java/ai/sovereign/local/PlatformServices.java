package ai.sovereign.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's services started in the launcher's JVM on the embedded servers, each in its own class loader,
 * with the settings that point them at those servers and at each other. Stopped in reverse order.
 */
public final class PlatformServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformServices.class);

    private final List<IsolatedService> running = new ArrayList<>();

    private PlatformServices() {
    }

    /**
     * Starts every service of {@link ServiceSpec#ALL} plus one gpu-agent per simulated GPU host. With
     * {@code randomPorts} every service takes a free port (tests); otherwise its default port.
     */
    public static PlatformServices start(EmbeddedPlatform platform, LocalSettings settings, String platformSecret,
                                         List<GpuHost> gpuHosts) {
        PlatformServices services = new PlatformServices();
        Path workDir = settings.dataDir().resolve(".services");
        try {
            for (ServiceSpec spec : ServiceSpec.ALL) {
                Map<String, Object> props = commonProperties(platform, settings, platformSecret, spec,
                        settings.randomServicePorts() ? -1 : spec.defaultPort());
                services.running.add(IsolatedService.start(spec, spec.name(), workDir, props));
            }
            ServiceSpec agent = new ServiceSpec("gpu-agent", 9400, false, false);
            for (int i = 0; i < gpuHosts.size(); i++) {
                GpuHost host = gpuHosts.get(i);
                Map<String, Object> props = commonProperties(platform, settings, platformSecret, agent,
                        settings.randomServicePorts() ? -1 : agent.defaultPort() + i);
                props.putAll(host.agentProperties());
                services.running.add(IsolatedService.start(agent, "gpu-agent " + host.hostId(), workDir.resolve(host.hostId()), props));
            }
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    private static Map<String, Object> commonProperties(EmbeddedPlatform platform, LocalSettings settings,
                                                        String platformSecret, ServiceSpec spec, int port) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("kafka.bootstrap.servers", platform.kafka().bootstrapServers());
        // the shared libraries are on every service's class path here, so only the settings decide who gets a pool
        if (spec.usesPostgres()) {
            props.put("datasources.default.url", platform.postgres().jdbcUrl(LocalSettings.DATABASE));
            props.put("datasources.default.username", "postgres");
            props.put("datasources.default.password", "");
            props.put("datasources.default.maximum-pool-size", 5);
        }
        if (spec.usesNeo4j()) {
            props.put("neo4j.uri", platform.neo4j().boltUri());
        }
        props.put("sovereign.security.token-secret", platformSecret);
        props.put("sovereign.health.disk.path", settings.dataDir().toString());
        props.put("sovereign.data-dir", settings.dataDir().resolve(spec.name()).toString());
        return props;
    }

    /** Label and base URL of every running service, in start order. */
    public Map<String, String> urls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (IsolatedService service : running) {
            urls.put(service.label(), service.url());
        }
        return urls;
    }

    public List<IsolatedService> running() {
        return List.copyOf(running);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            IsolatedService service = running.get(i);
            try {
                service.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed: {}", service.name(), e.getMessage());
            }
        }
        running.clear();
    }
}
