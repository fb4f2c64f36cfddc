package ai.sovereign.router.fleet;

import ai.sovereign.router.config.RoutingConfig;
import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.replicas.ReplicaShare;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet: every server of the routing config in force, with its live state. Follows the config (servers added,
 * removed, resized live) and tells subscribers when capacity may have changed, so that waiting requests are
 * dispatched at once.
 */
@Singleton
public class FleetRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(FleetRegistry.class);

    private final ConcurrentSkipListMap<String, BackendServer> servers = new ConcurrentSkipListMap<>();
    private volatile ReplicaShare share = ReplicaShare.ALONE;
    private final List<Runnable> capacityListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<BackendServer>> addedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<BackendServer>> removedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<BackendServer>> unreachableListeners = new CopyOnWriteArrayList<>();

    public FleetRegistry(VersionedRoutingConfig config) {
        apply(config.config());
        config.subscribe(this::apply);
    }

    private synchronized void apply(RoutingConfig config) {
        Set<String> wanted = new HashSet<>();
        for (ServerSpec spec : config.servers()) {
            wanted.add(spec.id());
            BackendServer existing = servers.get(spec.id());
            if (existing == null) {
                BackendServer server = new BackendServer(spec);
                server.share(share);
                servers.put(spec.id(), server);
                LOG.info(
                        "server {} joined the fleet: {} {} maxConcurrency={}",
                        spec.id(),
                        spec.type().wireName(),
                        spec.url(),
                        spec.maxConcurrency());
                addedListeners.forEach(listener -> listener.accept(server));
            } else if (!existing.spec().equals(spec)) {
                boolean endpointChanged = !existing.spec().url().equals(spec.url())
                        || existing.spec().type() != spec.type();
                existing.spec(spec);
                if (endpointChanged) {
                    // A new address is a new server as far as health and models go.
                    existing.recordUnhealthy("address changed; waiting for the first health check", Instant.now());
                    addedListeners.forEach(listener -> listener.accept(existing));
                }
            }
        }
        for (BackendServer server : List.copyOf(servers.values())) {
            if (!wanted.contains(server.id())) {
                servers.remove(server.id());
                server.markRemoved();
                LOG.info(
                        "server {} left the fleet; {} request(s) still in flight there finish",
                        server.id(),
                        server.inFlight());
                removedListeners.forEach(listener -> listener.accept(server));
            }
        }
        capacityChanged();
    }

    public Collection<BackendServer> all() {
        return servers.values();
    }

    public Optional<BackendServer> find(String id) {
        return Optional.ofNullable(servers.get(id));
    }

    /** The server, or a 404 naming the servers that exist. */
    public BackendServer require(String id) {
        BackendServer server = servers.get(id);
        if (server == null) {
            throw ApiException.notFound("server '" + id + "' is not in the fleet; servers: "
                    + (servers.isEmpty() ? "none" : String.join(", ", servers.keySet())));
        }
        return server;
    }

    /** Every model some server of the fleet holds, with the ids of the servers holding it. */
    public SortedMap<String, List<String>> modelIndex() {
        SortedMap<String, List<String>> index = new TreeMap<>();
        for (BackendServer server : servers.values()) {
            for (String model : server.models()) {
                index.computeIfAbsent(model, m -> new ArrayList<>()).add(server.id());
            }
        }
        return index;
    }

    /** Whether any server of the fleet holds {@code model}. */
    public boolean knows(String model) {
        return servers.values().stream().anyMatch(server -> server.holds(model));
    }

    /** The live router replicas divide each server's slots among them ({@link BackendServer#slotLimit()}). */
    public void shareSlots(ReplicaShare share) {
        this.share = share;
        servers.values().forEach(server -> server.share(share));
        capacityChanged();
    }

    public void drain(BackendServer server, boolean draining) {
        server.draining(draining);
        capacityChanged();
    }

    public void maintenance(BackendServer server, Maintenance maintenance) {
        server.maintenance(maintenance);
        capacityChanged();
    }

    /** A health check succeeded. */
    public void reportHealthy(BackendServer server, Set<String> models, Set<String> loaded, boolean loadedKnown) {
        boolean was = server.healthy();
        server.recordHealthy(models, loaded, loadedKnown, Instant.now());
        if (!was) {
            LOG.info("server {} is healthy; models: {}", server.id(), models);
        }
        capacityChanged();
    }

    /** A health check failed: the server takes no requests until one succeeds. */
    public void reportUnreachable(BackendServer server, String error) {
        boolean was = server.healthy() || !server.checked();
        server.recordUnhealthy(error, Instant.now());
        if (was) {
            LOG.warn("server {} is unhealthy: {}", server.id(), error);
        }
        unreachableListeners.forEach(listener -> listener.accept(server));
    }

    /** Runs {@code listener} whenever servers, their health, flags or limits change. */
    public void onCapacityChange(Runnable listener) {
        capacityListeners.add(listener);
    }

    public void onServerAdded(Consumer<BackendServer> listener) {
        addedListeners.add(listener);
    }

    public void onServerRemoved(Consumer<BackendServer> listener) {
        removedListeners.add(listener);
    }

    public void onUnreachable(Consumer<BackendServer> listener) {
        unreachableListeners.add(listener);
    }

    public void capacityChanged() {
        capacityListeners.forEach(Runnable::run);
    }
}
