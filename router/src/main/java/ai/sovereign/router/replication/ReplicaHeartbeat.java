package ai.sovereign.router.replication;

import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.runtime.postgres.PostgresSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
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
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server's {@code maxConcurrency} for the whole router, not per replica: every {@code router.heartbeat-interval}
 * (2 s) each replica writes its row in {@code router.replicas} and reads the live ones (seen within three intervals);
 * the live replicas, sorted by id, divide every server's slots so that their shares add up to its limit (the first
 * {@code max % n} get one more). A replica that stops removes its row and the others take its share within an
 * interval; one that dies is counted until its row is three intervals old, so the fleet then runs below its limit, never
 * above it. A new replica takes its share at once while the others notice it within an interval: the one moment the sum
 * can exceed the limit, by at most the new replica's share, for at most one interval. With PostgreSQL unreachable a
 * replica keeps the share it had.
 */
@Context
public class ReplicaHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHeartbeat.class);

    private final DataSource dataSource;
    private final FleetRegistry fleet;
    private final String table;
    private final String replicaId = UUID.randomUUID().toString();
    private final Duration interval;
    private final ScheduledExecutorService timer;

    public ReplicaHeartbeat(
            DataSource dataSource,
            FleetRegistry fleet,
            PostgresSettings postgres,
            @Value("${router.heartbeat-interval:2s}") Duration interval) {
        this.dataSource = dataSource;
        this.fleet = fleet;
        this.table = postgres.schema() + ".replicas";
        this.interval = interval;
        beat();
        timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("replica-heartbeat").daemon().unstarted(r));
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
            int rank = Math.max(0, live.indexOf(replicaId));
            if (live.size() != fleet.replicas()) {
                LOG.info(
                        "{} router replica(s) live; this one takes share {} of each server's slots", live.size(), rank);
            }
            fleet.shareSlots(Math.max(1, live.size()), rank);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("router heartbeat failed ({}); keeping the current share of the servers' slots", e.getMessage());
        }
    }

    /** This replica's id in {@code router.replicas}. */
    public String replicaId() {
        return replicaId;
    }

    @PreDestroy
    void stop() {
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
