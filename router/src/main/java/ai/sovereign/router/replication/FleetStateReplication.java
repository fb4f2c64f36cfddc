package ai.sovereign.router.replication;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.breaker.BreakerState;
import ai.sovereign.router.breaker.CircuitBreaker;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.fleet.Maintenance;
import ai.sovereign.router.queue.SlotScheduler;
import ai.sovereign.router.recovery.BanList;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes every router replica obey the operator's fleet state, whichever replica was called: drain, maintenance,
 * forced breaker states, the queue pause and ban clears are written to {@link FleetStateStore} and announced on
 * {@value FleetStateStore#CHANNEL}; new routing config versions are announced. Each replica listens on a connection of
 * its own and, on any announcement, reloads the table (or the newest config version) and applies what differs: any
 * login of the database can send a notification, so one is only a reason to read what the router's login wrote; it also loads the table at start and after its listening connection comes back, so a replica that
 * was away catches up. A change reaches the other replicas as fast as PostgreSQL delivers the notification (well
 * under the 2 s the design allows; {@code ReplicatedFleetStateTest} measures it).
 */
@Context
public class FleetStateReplication {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStateReplication.class);

    static final String DRAIN = "drain";
    static final String MAINTENANCE = "maintenance";
    static final String BREAKER = "breaker";
    static final String QUEUE = "queue";
    static final String BAN_CLEAR = "ban-clear";

    private final FleetStateStore store;
    private final FleetRegistry fleet;
    private final BreakerBoard breakers;
    private final SlotScheduler scheduler;
    private final BanList bans;
    private final VersionedRoutingConfig config;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final Thread listener;
    private volatile boolean stopped;
    private volatile boolean started;
    /** The ban clears of {@link #BAN_CLEAR} rows applied here: target → the clear's time. */
    private final Map<String, Instant> banClearsApplied = new HashMap<>();

    public FleetStateReplication(
            FleetStateStore store,
            FleetRegistry fleet,
            BreakerBoard breakers,
            SlotScheduler scheduler,
            BanList bans,
            VersionedRoutingConfig config,
            DataSource dataSource,
            JsonMapper json) {
        this.store = store;
        this.fleet = fleet;
        this.breakers = breakers;
        this.scheduler = scheduler;
        this.bans = bans;
        this.config = config;
        this.dataSource = dataSource;
        this.json = json;
        config.onStored(version -> announce("config:" + version.version()));
        fleet.onServerAdded(server -> reloadQuietly());
        reloadQuietly();
        started = true;
        listener = Thread.ofPlatform().name("fleet-state-listener").daemon().start(this::listen);
    }

    /** Drains or undrains {@code server} on every replica. */
    public void drain(BackendServer server, boolean draining, String by) {
        share(DRAIN, server.id(), draining ? "{\"draining\":true}" : null, by);
        fleet.drain(server, draining);
    }

    /** Puts {@code server} in maintenance (or takes it out, with null) on every replica. */
    public void maintenance(BackendServer server, Maintenance maintenance, String by) {
        share(
                MAINTENANCE,
                server.id(),
                maintenance == null
                        ? null
                        : json.writeValueAsString(Map.of(
                                "reason",
                                maintenance.reason(),
                                "by",
                                maintenance.by(),
                                "since",
                                maintenance.since().toString())),
                by);
        fleet.maintenance(server, maintenance);
    }

    /** Forces {@code breaker} to {@code state} on every replica, or (null) gives it back to its own rules. */
    public void breaker(CircuitBreaker breaker, BreakerState state, String by) {
        share(
                BREAKER,
                breaker.serverId() + "/" + breaker.model(),
                state == null ? null : "{\"state\":\"" + state.name() + "\"}",
                by);
        if (state == null) {
            breaker.reset();
        } else {
            breaker.force(state);
        }
    }

    /** Pauses or resumes the queue on every replica. */
    public void queuePaused(boolean paused, String by) {
        share(QUEUE, "default", paused ? "{\"paused\":true}" : null, by);
        if (paused) {
            scheduler.pause();
        } else {
            scheduler.resume();
        }
    }

    /**
     * Clears, on the other replicas too, the bans {@code which} names ({@code all}, {@code server/<id>}, …) that began
     * before now: a row like the other state, so that an announcement only says "look", never what to do.
     */
    public void bansCleared(String which, String by) {
        Instant at = Instant.now();
        share(BAN_CLEAR, which, json.writeValueAsString(Map.of("at", at.toString())), by);
        synchronized (this) {
            banClearsApplied.put(which, at);
        }
    }

    private void share(String kind, String target, String stateJson, String by) {
        try {
            store.put(kind, target, stateJson, by);
        } catch (SQLException e) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "the fleet state could not be stored for the other router replicas (" + e.getMessage()
                            + "); nothing was changed",
                    "fleet_state_unavailable",
                    null);
        }
    }

    private void announce(String payload) {
        try {
            store.announce(payload);
        } catch (SQLException e) {
            // the others catch up when their listening connection next reloads; say so
            LOG.warn("could not announce {} to the other router replicas: {}", payload, e.getMessage());
        }
    }

    private void listen() {
        while (!stopped) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement st = connection.createStatement()) {
                    st.execute("LISTEN " + FleetStateStore.CHANNEL);
                }
                // what changed while nobody listened
                reload();
                config.refresh();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications == null) {
                        continue;
                    }
                    // any login of the database may NOTIFY: a payload is only a hint to read the tables, which only
                    // the router's login writes
                    boolean state = false;
                    for (PGNotification notification : notifications) {
                        if (notification.getParameter().startsWith("config:")) {
                            config.refresh();
                        } else {
                            state = true;
                        }
                    }
                    if (state) {
                        reload();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("listening for fleet state changes failed ({}); retrying in 2 s", e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not load the shared fleet state ({}); the listener retries", e.getMessage());
        }
    }

    /** Makes this replica's state what the table says. */
    private synchronized void reload() throws SQLException {
        Map<String, Map<String, JsonNode>> rows = new HashMap<>();
        for (FleetStateStore.Row row : store.all()) {
            rows.computeIfAbsent(row.kind(), k -> new HashMap<>()).put(row.target(), json.readTree(row.state()));
        }
        Map<String, JsonNode> drains = rows.getOrDefault(DRAIN, Map.of());
        Map<String, JsonNode> maintenances = rows.getOrDefault(MAINTENANCE, Map.of());
        for (BackendServer server : fleet.all()) {
            boolean draining = drains.containsKey(server.id());
            if (server.draining() != draining) {
                fleet.drain(server, draining);
            }
            JsonNode m = maintenances.get(server.id());
            Maintenance wanted = m == null
                    ? null
                    : new Maintenance(
                            m.path("reason").asString(),
                            m.path("by").asString(),
                            Instant.parse(m.path("since").asString()));
            if (!java.util.Objects.equals(server.maintenance(), wanted)) {
                fleet.maintenance(server, wanted);
            }
        }
        Map<String, JsonNode> forced = rows.getOrDefault(BREAKER, Map.of());
        Set<String> forcedTargets = new HashSet<>();
        for (Map.Entry<String, JsonNode> entry : forced.entrySet()) {
            int slash = entry.getKey().indexOf('/');
            String serverId = entry.getKey().substring(0, slash);
            if (fleet.find(serverId).isEmpty()) {
                continue;
            }
            CircuitBreaker breaker = breakers.breaker(serverId, entry.getKey().substring(slash + 1));
            BreakerState state =
                    BreakerState.valueOf(entry.getValue().path("state").asString());
            forcedTargets.add(entry.getKey());
            if (!breaker.manual() || breaker.state() != state) {
                breaker.force(state);
            }
        }
        for (CircuitBreaker breaker : breakers.all()) {
            if (breaker.manual() && !forcedTargets.contains(breaker.serverId() + "/" + breaker.model())) {
                breaker.reset();
            }
        }
        for (Map.Entry<String, JsonNode> clear :
                rows.getOrDefault(BAN_CLEAR, Map.of()).entrySet()) {
            Instant at = Instant.parse(clear.getValue().path("at").asString());
            Instant applied = banClearsApplied.put(clear.getKey(), at);
            if (applied == null && !started) {
                continue; // cleared before this replica started: it has no such bans
            }
            if (applied == null || at.isAfter(applied)) {
                clearBans(clear.getKey(), at);
            }
        }
        boolean paused = rows.getOrDefault(QUEUE, Map.of()).containsKey("default");
        if (scheduler.paused() != paused) {
            if (paused) {
                scheduler.pause();
            } else {
                scheduler.resume();
            }
        }
    }

    /** Clears the bans {@code which} names that began no later than {@code at}. */
    private void clearBans(String which, Instant at) {
        java.util.function.Predicate<ai.sovereign.router.recovery.Ban> before =
                b -> !b.since().isAfter(at);
        if (which.equals("all")) {
            bans.clearWhere(before);
        } else if (which.startsWith("server/")) {
            String id = which.substring("server/".length());
            bans.clearWhere(before.and(b -> b.serverId().equals(id)));
        } else if (which.startsWith("model/")) {
            String model = which.substring("model/".length());
            bans.clearWhere(before.and(b -> b.model().equals(model)));
        } else {
            int slash = which.indexOf('/');
            if (slash > 0) {
                String id = which.substring(0, slash);
                String model = which.substring(slash + 1);
                bans.clearWhere(
                        before.and(b -> b.serverId().equals(id) && b.model().equals(model)));
            }
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        listener.interrupt();
    }
}
