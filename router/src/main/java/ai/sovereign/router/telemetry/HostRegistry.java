package ai.sovereign.router.telemetry;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.router.config.ConfigDocumentCodec;
import ai.sovereign.router.config.InvalidConfigException;
import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.config.ServerType;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.events.RouterEvents;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU hosts as their gpu-agents describe them ({@code gpu.telemetry.v1}): servers the fleet does not know are
 * registered (a new config version by {@code gpu-agent:<host>}), loaded models and free GPU memory feed the balancer,
 * and a host silent for {@value #SILENT_INTERVALS} intervals has its servers marked unhealthy (never deleted) until
 * it reports again.
 *
 * <p>Only hosts in {@code router.registration.allowed-hosts} are believed, and only servers whose URL host is in
 * {@code router.registration.allowed-urls} register themselves ({@link RegistrationSettings}): whoever can write the
 * telemetry topic must not be able to add a server of theirs and receive every tenant's prompts. A refused snapshot
 * or server changes nothing; it is counted ({@code orchestrator.registration.refused}, tag {@code reason} =
 * {@code host|url}) and audited once per host and URL ({@code router.registration.refused}, outcome DENIED).
 */
@Singleton
public class HostRegistry {

    static final int SILENT_INTERVALS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(HostRegistry.class);
    private static final Pattern INVALID_ID_CHARS = Pattern.compile("[^A-Za-z0-9._-]");

    private final FleetRegistry fleet;
    private final VersionedRoutingConfig config;
    private final ConfigDocumentCodec codec;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> watch;
    private final RegistrationSettings registration;
    private final RouterEvents events;
    private final Counter refusedHosts;
    private final Counter refusedUrls;
    /** Refusals audited already (host, or host and URL): a repeating snapshot is audited once, counted every time. */
    private final Set<String> audited = ConcurrentHashMap.newKeySet();

    /** The last snapshot of one host and when it came. */
    public record Host(GpuTelemetry telemetry, Instant receivedAt, Set<String> serverIds, boolean silent) {}

    public HostRegistry(
            FleetRegistry fleet,
            VersionedRoutingConfig config,
            ConfigDocumentCodec codec,
            @Named("router-timer") ScheduledExecutorService timer,
            RegistrationSettings registration,
            RouterEvents events,
            MeterRegistry meters) {
        this.fleet = fleet;
        this.config = config;
        this.codec = codec;
        this.registration = registration;
        this.events = events;
        this.refusedHosts = refusedCounter(meters, "host");
        this.refusedUrls = refusedCounter(meters, "url");
        if (registration.allowedHosts().isEmpty()) {
            LOG.info(
                    "telemetry self-registration is off: router.registration.allowed-hosts is empty, so no gpu-agent's "
                            + "snapshot is believed; servers come from router.servers and the admin API");
        } else {
            LOG.info(
                    "gpu-agents believed: hosts {}; servers they report register when their URL host matches {}",
                    registration.allowedHosts(),
                    registration.allowedUrls());
        }
        this.watch = timer.scheduleWithFixedDelay(this::markSilentHosts, 250, 250, TimeUnit.MILLISECONDS);
    }

    private static Counter refusedCounter(MeterRegistry meters, String reason) {
        return Counter.builder("orchestrator.registration.refused")
                .description("Telemetry snapshots (reason host) and reported servers (reason url) refused by the "
                        + "registration allow-list")
                .tag("reason", reason)
                .register(meters);
    }

    /** Takes in one snapshot, if its host is believed. */
    public void apply(GpuTelemetry telemetry) {
        if (!HostPatterns.anyGlob(registration.allowedHosts(), telemetry.hostId())) {
            refusedHosts.increment();
            refuse(
                    telemetry.hostId(),
                    null,
                    "host " + telemetry.hostId() + " is not in router.registration.allowed-hosts");
            return;
        }
        Set<String> ids = new HashSet<>();
        Double freeRatio = freeMemoryRatio(telemetry);
        for (GpuTelemetry.ServerStatus status : telemetry.servers()) {
            // A server already in the fleet under another id (router.servers, servers/add) is the same server when
            // its URL is the same: it is updated, not registered twice.
            BackendServer server = sameUrl(status.url())
                    .orElseGet(() -> fleet.find(serverId(status.id()))
                            .orElseGet(() -> register(telemetry.hostId(), serverId(status.id()), status)));
            if (server == null) {
                continue;
            }
            ids.add(server.id());
            server.hostSilent(null);
            server.gpuMemoryFreeRatio(freeRatio);
            if (!status.loadedModels().isEmpty() || status.type() == GpuTelemetry.ServerType.OLLAMA) {
                Set<String> loaded = new HashSet<>();
                status.loadedModels().forEach(m -> loaded.add(m.name()));
                server.loadedFromTelemetry(loaded);
            }
        }
        Host previous = hosts.put(telemetry.hostId(), new Host(telemetry, Instant.now(), Set.copyOf(ids), false));
        if (previous != null && previous.silent()) {
            LOG.info(
                    "host {} reports again; its servers {} count as healthy once their checks pass",
                    telemetry.hostId(),
                    ids);
        }
        fleet.capacityChanged();
    }

    private BackendServer register(String hostId, String id, GpuTelemetry.ServerStatus status) {
        if (!HostPatterns.urlAllowed(registration.allowedUrls(), String.valueOf(status.url()))) {
            refusedUrls.increment();
            refuse(hostId, status.url(), "server URL " + status.url() + " is not in router.registration.allowed-urls");
            return null;
        }
        ServerType type = status.type() == GpuTelemetry.ServerType.OLLAMA ? ServerType.OLLAMA : ServerType.OPENAI;
        try {
            ServerSpec spec = codec.readServer(
                    codec.writeServer(new ServerSpec(id, status.url(), type, Math.max(1, status.maxConcurrency()))));
            config.change(
                    "gpu-agent:" + hostId,
                    "server " + id + " registered by the gpu-agent of " + hostId,
                    c -> c.server(id).isPresent()
                            ? c
                            : c.withServers(list -> {
                                List<ServerSpec> all = new ArrayList<>(list);
                                all.add(spec);
                                return all;
                            }));
            LOG.info("server {} ({}) registered by the gpu-agent of {}", id, status.url(), hostId);
        } catch (InvalidConfigException e) {
            LOG.warn(
                    "the gpu-agent of {} reported server {} which cannot be registered: {}",
                    hostId,
                    status.id(),
                    e.getMessage());
            return null;
        }
        BackendServer server = fleet.find(id).orElse(null);
        if (server != null) {
            server.registeredBy(hostId);
        }
        return server;
    }

    private void refuse(String hostId, String url, String reason) {
        String key = hostId + "\n" + url;
        if (audited.size() >= 10_000) {
            audited.clear();
        }
        if (!audited.add(key)) {
            return;
        }
        LOG.warn("telemetry refused: {}", reason);
        events.refused(
                "gpu-agent:" + hostId,
                "router.registration.refused",
                "host",
                hostId,
                reason,
                url == null ? Map.of() : Map.of("url", url));
    }

    private Optional<BackendServer> sameUrl(String url) {
        String wanted = trimSlash(url);
        return fleet.all().stream()
                .filter(s -> trimSlash(s.spec().url()).equalsIgnoreCase(wanted))
                .findFirst();
    }

    private static String trimSlash(String url) {
        String text = url == null ? "" : url.trim();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    @SuppressWarnings(
            "ModifyCollectionInEnhancedForLoop") // hosts is a ConcurrentHashMap: replacing while iterating is safe
    private void markSilentHosts() {
        Instant now = Instant.now();
        for (Map.Entry<String, Host> entry : hosts.entrySet()) {
            Host host = entry.getValue();
            Duration limit = Duration.ofSeconds(Math.max(1, host.telemetry().intervalSeconds()))
                    .multipliedBy(SILENT_INTERVALS);
            if (!host.silent() && host.receivedAt().plus(limit).isBefore(now)) {
                String reason = "no telemetry from host " + entry.getKey() + " since " + host.receivedAt() + " ("
                        + SILENT_INTERVALS + " intervals of " + host.telemetry().intervalSeconds() + " s)";
                LOG.warn("{}; its servers {} count as unhealthy", reason, host.serverIds());
                host.serverIds().forEach(id -> fleet.find(id).ifPresent(s -> s.hostSilent(reason)));
                hosts.replace(
                        entry.getKey(), host, new Host(host.telemetry(), host.receivedAt(), host.serverIds(), true));
                fleet.capacityChanged();
            }
        }
    }

    public List<Host> all() {
        return hosts.values().stream()
                .sorted(Comparator.comparing(h -> h.telemetry().hostId()))
                .toList();
    }

    public Optional<Host> find(String hostId) {
        return Optional.ofNullable(hosts.get(hostId));
    }

    /** An agent's server id ({@code gpu-host-01:11434}) as a fleet id ({@code gpu-host-01-11434}). */
    static String serverId(String agentId) {
        String id = INVALID_ID_CHARS.matcher(agentId).replaceAll("-");
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    static Double freeMemoryRatio(GpuTelemetry telemetry) {
        long total = 0;
        long free = 0;
        for (GpuTelemetry.GpuStats gpu : telemetry.gpus()) {
            if (gpu.memoryTotalBytes() != null && gpu.memoryFreeBytes() != null) {
                total += gpu.memoryTotalBytes();
                free += gpu.memoryFreeBytes();
            }
        }
        return total == 0 ? null : (double) free / total;
    }

    @PreDestroy
    void stop() {
        watch.cancel(false);
    }
}
