package ai.sovereign.router.replication;

import ai.sovereign.runtime.postgres.PostgresSettings;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code router.fleet_state}: the operator's fleet state every replica shares (drain, maintenance, forced breaker
 * states, queue pause), one row per kind and target. Each change is written with its {@code NOTIFY} in one
 * transaction, so a replica that hears the notification reads the change.
 */
@Singleton
public class FleetStateStore {

    /** The channel every router replica listens on. */
    public static final String CHANNEL = "router_fleet_state";

    private final DataSource dataSource;
    private final String table;

    public FleetStateStore(DataSource dataSource, PostgresSettings postgres) {
        this.dataSource = dataSource;
        this.table = postgres.schema() + ".fleet_state";
    }

    /** One row: {@code state} is JSON. */
    public record Row(String kind, String target, String state, String changedBy, Instant changedAt) {}

    /** Sets {@code kind}/{@code target} to {@code stateJson}, or removes it when {@code stateJson} is null. */
    public void put(String kind, String target, String stateJson, String by) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (stateJson == null) {
                    try (PreparedStatement st =
                            c.prepareStatement("DELETE FROM " + table + " WHERE kind = ? AND target = ?")) {
                        st.setString(1, kind);
                        st.setString(2, target);
                        st.executeUpdate();
                    }
                } else {
                    try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                            + " (kind, target, state, changed_by, changed_at) VALUES (?, ?, ?::jsonb, ?, ?)"
                            + " ON CONFLICT (kind, target) DO UPDATE SET state = EXCLUDED.state,"
                            + " changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at")) {
                        st.setString(1, kind);
                        st.setString(2, target);
                        st.setString(3, stateJson);
                        st.setString(4, by);
                        st.setTimestamp(5, Timestamp.from(Instant.now()));
                        st.executeUpdate();
                    }
                }
                notify(c, "state");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Announces {@code payload} to every replica (e.g. a ban clear, a new config version). */
    public void announce(String payload) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            notify(c, payload);
        }
    }

    private static void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, CHANNEL);
            st.setString(2, payload);
            st.execute();
        }
    }

    public List<Row> all() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement("SELECT kind, target, state::text, changed_by, changed_at FROM " + table);
                ResultSet rows = st.executeQuery()) {
            List<Row> out = new ArrayList<>();
            while (rows.next()) {
                out.add(new Row(
                        rows.getString(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getTimestamp(5).toInstant()));
            }
            return out;
        }
    }
}
