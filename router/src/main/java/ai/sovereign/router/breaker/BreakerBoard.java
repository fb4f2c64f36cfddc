package ai.sovereign.router.breaker;

import ai.sovereign.router.config.BreakerSettings;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every circuit breaker, one per (server, model) that has seen traffic or an operator's hand. A server that fails
 * its health check counts as one failure for each of its models: a dead server fails every model it holds, so its
 * breakers open even when no request happens to be routed there.
 */
@Singleton
public class BreakerBoard {

    private static final Logger LOG = LoggerFactory.getLogger(BreakerBoard.class);

    private final ConcurrentHashMap<Key, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final List<Consumer<CircuitBreaker>> createdListeners = new CopyOnWriteArrayList<>();
    private final FleetRegistry fleet;
    private final ScheduledExecutorService timer;
    private volatile BreakerSettings settings;

    private record Key(String serverId, String model) {}

    public BreakerBoard(
            VersionedRoutingConfig config, FleetRegistry fleet, @Named("router-timer") ScheduledExecutorService timer) {
        this.fleet = fleet;
        this.timer = timer;
        this.settings = config.config().circuitBreaker();
        config.subscribe(next -> settings = next.circuitBreaker());
        fleet.onUnreachable(server -> server.models()
                .forEach(model -> breaker(server.id(), model)
                        .record(false, false, "health check failed: " + server.lastError())));
        fleet.onServerRemoved(
                server -> breakers.keySet().removeIf(key -> key.serverId().equals(server.id())));
    }

    /** The breaker of (server, model), created closed on first use. */
    public CircuitBreaker breaker(String serverId, String model) {
        CircuitBreaker existing = breakers.get(new Key(serverId, model));
        if (existing != null) {
            return existing;
        }
        boolean[] made = {false};
        CircuitBreaker created = breakers.computeIfAbsent(new Key(serverId, model), key -> {
            made[0] = true;
            CircuitBreaker breaker = new CircuitBreaker(serverId, model, System::currentTimeMillis, () -> settings);
            breaker.onTransition(() -> {
                // Never run listeners under the breaker's lock: dispatch takes the scheduler's lock and then
                // asks breakers, so doing it here could deadlock.
                timer.execute(() -> {
                    LOG.info(
                            "circuit breaker {} / {} is {}{}",
                            serverId,
                            model,
                            breaker.state().wireName(),
                            breaker.manual() ? " (manual)" : "");
                    fleet.capacityChanged();
                });
            });
            return breaker;
        });
        if (made[0]) {
            createdListeners.forEach(listener -> listener.accept(created));
        }
        return created;
    }

    public Optional<CircuitBreaker> find(String serverId, String model) {
        return Optional.ofNullable(breakers.get(new Key(serverId, model)));
    }

    /** Whether requests for {@code model} may go to {@code server} as far as its breaker goes. */
    public boolean permits(BackendServer server, String model) {
        CircuitBreaker breaker = breakers.get(new Key(server.id(), model));
        return breaker == null || breaker.permits();
    }

    public List<CircuitBreaker> all() {
        return breakers.values().stream()
                .sorted(Comparator.comparing(CircuitBreaker::serverId).thenComparing(CircuitBreaker::model))
                .toList();
    }

    public List<CircuitBreaker> ofServer(String serverId) {
        return all().stream().filter(b -> b.serverId().equals(serverId)).toList();
    }

    /** Runs {@code listener} for each breaker when it is created (metrics register their gauge). */
    public void onCreated(Consumer<CircuitBreaker> listener) {
        createdListeners.add(listener);
    }
}
