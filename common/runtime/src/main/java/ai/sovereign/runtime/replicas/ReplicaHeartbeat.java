package ai.sovereign.runtime.replicas;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each replica of a service how many replicas are live and its rank among them, so that they can divide a limit
 * between them ({@link ReplicaShare#portion}). Every {@code interval} each replica writes its row in the service's
 * {@code replicas} table ({@code replica_id TEXT PRIMARY KEY, seen_at TIMESTAMPTZ}) and reads the live ones (seen within
 * three intervals), sorted by id. A replica that stops removes its row and the others take over its portion within an
 * interval; one that dies is counted until its row is three intervals old, so the service then runs below its limits,
 * never above them. A new replica takes its portion at once while the others notice it within an interval: the one
 * moment the portions can add up to more than the limit, by at most the new replica's portion, for at most one
 * interval. With PostgreSQL unreachable a replica keeps the share it had.
 */
public final class ReplicaHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHeartbeat.class);

    private final String service;
    private final DataSource dataSource;
    private final String table;
    private final Duration interval;
    private final Consumer<ReplicaShare> listener;
    private final String replicaId = UUID.randomUUID().toString();
    private final ScheduledExecutorService timer;
    private volatile ReplicaShare share = ReplicaShare.ALONE;

    /**
     * Writes the first heartbeat now (and tells {@code listener} the share it found), then one every {@code interval}.
     *
     * @param table the schema-qualified table, e.g. {@code router.replicas}
     */
    public ReplicaHeartbeat(
            String service, DataSource dataSource, String table, Duration interval, Consumer<ReplicaShare> listener) {
        this.service = service;
        this.dataSource = dataSource;
        this.table = table;
        this.interval = interval;
        this.listener = listener;
        beat();
        timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name(service + "-heartbeat").daemon().unstarted(r));
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table + " (replica_id, seen_at)"
                    + " VALUES (?, now()) ON CONFLICT (replica_id) DO UPDATE SET seen_at = now()")) {
                st.setString(1, replicaId);
                st.executeUpdate();
            }
            List<String> live = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT replica_id FROM " + table
                    + " WHERE seen_at > now() - make_interval(secs => ?) ORDER BY replica_id")) {
                st.setDouble(1, interval.toMillis() * 3 / 1000.0);
                try (ResultSet rows = st.executeQuery()) {
                    while (rows.next()) {
                        live.add(rows.getString(1));
                    }
                }
            }
            ReplicaShare found = new ReplicaShare(live.size(), live.indexOf(replicaId));
            if (found.live() != share.live()) {
                LOG.info("{} {} replica(s) live; this one has rank {}", found.live(), service, found.rank());
            }
            share = found;
            listener.accept(found);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("{} heartbeat failed ({}); keeping the current share of its limits", service, e.getMessage());
        }
    }

    /** The share found by the last heartbeat that reached PostgreSQL. */
    public ReplicaShare share() {
        return share;
    }

    /** Stops the heartbeat and removes this replica's row, so the others take over its share at their next beat. */
    @Override
    public void close() {
        timer.shutdownNow();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE replica_id = ?")) {
            st.setString(1, replicaId);
            st.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not remove this replica's heartbeat row: {}", e.getMessage());
        }
    }
}
