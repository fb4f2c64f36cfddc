package ai.sovereign.local;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.testkit.DatabaseRoles;
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

    private PlatformServices() {}

    /**
     * Starts every service of {@link ServiceSpec#ALL} plus one gpu-agent per simulated GPU host. With
     * {@code randomPorts} every service takes a free port (tests); otherwise its default port. The router starts with
     * {@code fleet} as its configured servers.
     */
    public static PlatformServices start(
            EmbeddedPlatform platform,
            LocalSettings settings,
            String platformSecret,
            PlatformKeys keys,
            List<GpuHost> gpuHosts,
            List<InferenceServer> fleet) {
        PlatformServices services = new PlatformServices();
        Path workDir = settings.dataDir().resolve(".services");
        try {
            Map<String, String> started = new HashMap<>();
            for (ServiceSpec spec : ServiceSpec.ALL) {
                Map<String, Object> props = commonProperties(
                        platform, settings, keys, spec, settings.randomServicePorts() ? -1 : spec.defaultPort());
                props.putAll(ownProperties(spec, settings, platformSecret, started, fleet));
                if (spec.name().equals("router")) {
                    // the router believes the telemetry of its own simulated hosts only, servers on this machine only
                    props.put(
                            "router.registration.allowed-hosts",
                            gpuHosts.stream().map(GpuHost::hostId).toList());
                    props.put("router.registration.allowed-urls", List.of("127.0.0.1", "localhost"));
                }
                IsolatedService service = IsolatedService.start(spec, spec.name(), workDir, props);
                services.running.add(service);
                started.put(spec.name(), service.url());
            }
            ServiceSpec agent = new ServiceSpec("gpu-agent", 9400, false, false);
            for (int i = 0; i < gpuHosts.size(); i++) {
                GpuHost host = gpuHosts.get(i);
                Map<String, Object> props = commonProperties(
                        platform, settings, keys, agent, settings.randomServicePorts() ? -1 : agent.defaultPort() + i);
                props.putAll(host.agentProperties());
                // one outbox per agent: each host's agent is its own service instance
                props.put(
                        "sovereign.outbox.directory",
                        settings.dataDir()
                                .resolve("outbox")
                                .resolve("gpu-agent-" + host.hostId())
                                .toString());
                services.running.add(IsolatedService.start(
                        agent, "gpu-agent " + host.hostId(), workDir.resolve(host.hostId()), props));
            }
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    private static Map<String, Object> commonProperties(
            EmbeddedPlatform platform, LocalSettings settings, PlatformKeys keys, ServiceSpec spec, int port) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("micronaut.server.host", "127.0.0.1");
        // its own Kafka principal (every gpu-agent shares one) and only that principal's password
        props.putAll(platform.kafka().serviceProperties(spec.name()));
        // the shared libraries are on every service's class path here, so only the settings decide who gets a pool
        if (spec.usesPostgres()) {
            // its own login (DatabaseRoles) and only that login's password
            props.putAll(platform.databaseCredentials()
                    .serviceProperties(
                            DatabaseRoles.of(spec.name()), platform.postgres().jdbcUrl(LocalSettings.DATABASE)));
            props.put("datasources.default.maximum-pool-size", 5);
        }
        if (spec.usesNeo4j()) {
            props.put("neo4j.uri", platform.neo4j().boltUri());
        }
        // its own signing key if it calls other services (the gpu-agent, router and audit-service hold none), and
        // the public keys of all
        props.putAll(keys.properties(spec.name()));
        props.put("sovereign.management.token", platform.managementToken());
        props.put("endpoints.health.disk-space.path", settings.dataDir().toString());
        props.put("sovereign.data-dir", settings.dataDir().resolve(spec.name()).toString());
        // events wait here, on disk, while Kafka is away (docs/operations.md "Kafka down")
        props.put(
                "sovereign.outbox.directory",
                settings.dataDir().resolve("outbox").resolve(spec.name()).toString());
        return props;
    }

    /**
     * Settings one service needs beyond the common ones: the router's fleet, the gateway's upstreams (the services
     * started before it) and key files, the audit service's generated signing key, the backup-service's root and its
     * ingestion URL (for the vectors component).
     */
    private static Map<String, Object> ownProperties(
            ServiceSpec spec,
            LocalSettings settings,
            String platformSecret,
            Map<String, String> started,
            List<InferenceServer> fleet) {
        Map<String, Object> props = new HashMap<>();
        Path ownDir = settings.dataDir().resolve(spec.name());
        switch (spec.name()) {
            case "router" -> {
                List<Map<String, Object>> servers = new ArrayList<>();
                for (InferenceServer server : fleet) {
                    servers.add(Map.of(
                            "id",
                            server.id(),
                            "url",
                            server.url(),
                            "type",
                            server.type(),
                            "maxConcurrency",
                            server.maxConcurrency()));
                }
                props.put("router.servers", servers);
                props.put("router.config-directory", ownDir.toString());
            }
            case "gateway" -> {
                props.put("gateway.upstreams.router", started.get("router"));
                props.put("gateway.upstreams.ingestion", started.get("ingestion"));
                props.put("gateway.upstreams.audit", started.get("audit-service"));
                props.put("gateway.upstreams.backup", started.get("backup-service"));
                // one machine, one operator: the platform secret also keys the stored API key hashes
                props.put("gateway.keys.secret", platformSecret);
                props.put(
                        "gateway.bootstrap.key-file", bootstrapKeyFile(settings).toString());
            }
            case "audit-service" -> props.put("audit.signing.generate-if-missing", true);
            case "backup-service" -> {
                props.put("backup.root", settings.dataDir().resolve("backups").toString());
                // backups are encrypted: the key is generated once into keys/backup.env (keep a copy offline)
                props.put(
                        "backup.encryption.key",
                        PasswordsFile.BACKUP_KEY
                                .loadOrGenerate(settings.dataDir().resolve("keys"))
                                .get("backup"));
                // the vectors component: the ingestion service (started before) exports and imports its vector store
                props.put("backup.vectors.ingestion-url", started.get("ingestion"));
            }
            case "ingestion" -> {
                props.put("ingestion.data-dir", ownDir.toString());
                props.put("ingestion.router.url", started.get("router"));
            }
            default -> {}
        }
        return props;
    }

    /** Where the gateway writes the bootstrap admin key it generates on a fresh data directory. */
    public static Path bootstrapKeyFile(LocalSettings settings) {
        return settings.dataDir().resolve("gateway").resolve("bootstrap-admin.key");
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
