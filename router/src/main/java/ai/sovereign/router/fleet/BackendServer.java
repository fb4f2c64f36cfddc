package ai.sovereign.router.fleet;

import ai.sovereign.router.config.ServerSpec;
import ai.sovereign.runtime.replicas.ReplicaShare;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One inference server as the router sees it now: its declared spec, what the last health check and discovery found,
 * the operator's drain/maintenance flags, and the requests it is serving. {@link #tryAcquire()} is the only way a
 * request gets onto it, which is what keeps it at or under {@code maxConcurrency}.
 */
public final class BackendServer {

    private volatile ServerSpec spec;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private volatile boolean healthy;
    private volatile boolean checked;
    private volatile String lastError;
    private volatile Instant lastCheckAt;
    private volatile Instant healthySince;
    private volatile Set<String> models = Set.of();
    private volatile Set<String> loadedModels = Set.of();
    private volatile boolean loadedModelsKnown;
    private volatile boolean draining;
    private volatile Maintenance maintenance;
    private volatile Double gpuMemoryFreeRatio;
    private volatile boolean removed;
    private volatile String registeredBy;
    private volatile String silentHost;
    private volatile Set<String> telemetryLoaded = Set.of();

    public BackendServer(ServerSpec spec) {
        this.spec = spec;
    }

    public String id() {
        return spec.id();
    }

    public ServerSpec spec() {
        return spec;
    }

    void spec(ServerSpec value) {
        spec = value;
    }

    /**
     * This replica's share of the server's slots when several router replicas run ({@link FleetRegistry#shareSlots}):
     * the shares of all live replicas add up to {@code maxConcurrency}.
     */
    private volatile ReplicaShare share = ReplicaShare.ALONE;

    /** The slots this replica may use: its share of {@code maxConcurrency} (all of it when it runs alone). */
    public int slotLimit() {
        return share.portion(spec.maxConcurrency());
    }

    void share(ReplicaShare value) {
        share = value;
    }

    /** Takes one of the server's slots if it has a free one. */
    public boolean tryAcquire() {
        while (true) {
            int current = inFlight.get();
            if (current >= slotLimit()) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives a slot back; called exactly once per successful {@link #tryAcquire()}. */
    public void release() {
        inFlight.decrementAndGet();
        served.incrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int freeSlots() {
        return Math.max(0, slotLimit() - inFlight.get());
    }

    public long served() {
        return served.get();
    }

    /** Whether the router may send new requests here at all (model and breaker aside). */
    public boolean acceptsNewRequests() {
        return healthy() && !draining && maintenance == null && !removed;
    }

    /** The gpu-agent host that registered this server; null when it came from config or the API. */
    public String registeredBy() {
        return registeredBy;
    }

    public void registeredBy(String hostId) {
        registeredBy = hostId;
    }

    /** Set while the server's host has sent no telemetry for too long: it counts as unhealthy, but stays listed. */
    public void hostSilent(String reason) {
        silentHost = reason;
    }

    public String hostSilent() {
        return silentHost;
    }

    /** What the host's agent reports resident in GPU memory; counts together with the server's own /api/ps. */
    public void loadedFromTelemetry(Set<String> loaded) {
        telemetryLoaded = Set.copyOf(loaded);
        loadedModelsKnown = true;
    }

    /** Whether this server serves {@code model}; an untagged Ollama name means its {@code :latest}. */
    public boolean holds(String model) {
        Set<String> held = models;
        return held.contains(model) || (model.indexOf(':') < 0 && held.contains(model + ":latest"));
    }

    /** Whether {@code model} is resident in GPU memory; unknown counts as loaded (servers that load everything). */
    public boolean hasLoaded(String model) {
        if (!loadedModelsKnown) {
            return true;
        }
        Set<String> loaded = loadedModels();
        return loaded.contains(model) || (model.indexOf(':') < 0 && loaded.contains(model + ":latest"));
    }

    void recordHealthy(Set<String> discovered, Set<String> loaded, boolean loadedKnown, Instant at) {
        models = Set.copyOf(discovered);
        loadedModels = Set.copyOf(loaded);
        loadedModelsKnown = loadedKnown || !telemetryLoaded.isEmpty();
        if (!healthy) {
            healthySince = at;
        }
        healthy = true;
        checked = true;
        lastError = null;
        lastCheckAt = at;
    }

    void recordUnhealthy(String error, Instant at) {
        healthy = false;
        checked = true;
        lastError = error;
        lastCheckAt = at;
        healthySince = null;
    }

    /** A request found the server unreachable: stop routing to it until the next health check succeeds. */
    public void markUnreachable(String error) {
        recordUnhealthy(error, Instant.now());
    }

    /** The server answered that it lacks {@code model}: forget it until discovery finds it again. */
    public void forgetModel(String model) {
        models = models.stream().filter(m -> !m.equals(model)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The last health check succeeded and the host (if it reports telemetry) is not silent. */
    public boolean healthy() {
        return healthy && silentHost == null;
    }

    public boolean checked() {
        return checked;
    }

    public String lastError() {
        return silentHost != null ? silentHost : lastError;
    }

    public Instant lastCheckAt() {
        return lastCheckAt;
    }

    public Instant healthySince() {
        return healthySince;
    }

    public Set<String> models() {
        return models;
    }

    /** Resident models as the server (/api/ps) and its host's agent report them, together. */
    public Set<String> loadedModels() {
        Set<String> fromAgent = telemetryLoaded;
        if (fromAgent.isEmpty()) {
            return loadedModels;
        }
        Set<String> all = new java.util.HashSet<>(loadedModels);
        all.addAll(fromAgent);
        return all;
    }

    public boolean loadedModelsKnown() {
        return loadedModelsKnown;
    }

    public boolean draining() {
        return draining;
    }

    void draining(boolean value) {
        draining = value;
    }

    public Maintenance maintenance() {
        return maintenance;
    }

    void maintenance(Maintenance value) {
        maintenance = value;
    }

    /** Free share of GPU memory from gpu-agent telemetry; null when none has arrived. */
    public Double gpuMemoryFreeRatio() {
        return gpuMemoryFreeRatio;
    }

    public void gpuMemoryFreeRatio(Double value) {
        gpuMemoryFreeRatio = value;
    }

    public boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    /** What the server's state is, in one word, for operators. */
    public String status() {
        if (removed) {
            return "removed";
        }
        if (maintenance != null) {
            return "maintenance";
        }
        if (draining) {
            return "draining";
        }
        if (!checked) {
            return "unknown";
        }
        return healthy() ? "healthy" : "unhealthy";
    }
}
