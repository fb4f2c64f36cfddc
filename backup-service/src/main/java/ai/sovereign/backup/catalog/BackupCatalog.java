package ai.sovereign.backup.catalog;

import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code backup.backup_runs} table: one row per run, its manifest, its latest verification and restore. */
@Singleton
public class BackupCatalog {

    private static final String COLUMNS =
            "id, components, target, location, trigger, status, started_at, finished_at, manifest::text, error, "
                    + "progress::text, size_bytes, verify_status, verified_at, verify_result::text, last_restore::text";

    private final DataSource dataSource;
    private final String table;

    public BackupCatalog(DataSource dataSource, ai.sovereign.runtime.postgres.PostgresSettings settings) {
        this.dataSource = dataSource;
        this.table = settings.schema() + ".backup_runs";
    }

    public void insert(BackupRun run) {
        update(
                "INSERT INTO " + table
                        + " (id, components, target, location, trigger, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)",
                st -> {
                    st.setString(1, run.id());
                    st.setArray(
                            2,
                            st.getConnection()
                                    .createArrayOf("text", run.components().toArray()));
                    st.setString(3, run.target());
                    st.setString(4, run.location());
                    st.setString(5, run.trigger());
                    st.setTimestamp(6, Timestamp.from(run.startedAt()));
                });
    }

    public void progress(String id, String progressJson) {
        update("UPDATE " + table + " SET progress = ?::jsonb WHERE id = ?", st -> {
            st.setString(1, progressJson);
            st.setString(2, id);
        });
    }

    public void succeeded(String id, Instant finishedAt, String manifestJson, long sizeBytes) {
        update(
                "UPDATE " + table
                        + " SET status = 'succeeded', finished_at = ?, manifest = ?::jsonb, size_bytes = ? WHERE id = ?",
                st -> {
                    st.setTimestamp(1, Timestamp.from(finishedAt));
                    st.setString(2, manifestJson);
                    st.setLong(3, sizeBytes);
                    st.setString(4, id);
                });
    }

    public void failed(String id, Instant finishedAt, String error) {
        update("UPDATE " + table + " SET status = 'failed', finished_at = ?, error = ? WHERE id = ?", st -> {
            st.setTimestamp(1, Timestamp.from(finishedAt));
            st.setString(2, error);
            st.setString(3, id);
        });
    }

    /** Runs left 'running' by a process that died: they can never finish. */
    public int failInterrupted(Instant now) {
        return update(
                "UPDATE " + table
                        + " SET status = 'failed', finished_at = ?, error = 'interrupted: the service stopped during the run' "
                        + "WHERE status = 'running'",
                st -> st.setTimestamp(1, Timestamp.from(now)));
    }

    public void verified(String id, boolean passed, Instant at, String resultJson) {
        update(
                "UPDATE " + table + " SET verify_status = ?, verified_at = ?, verify_result = ?::jsonb WHERE id = ?",
                st -> {
                    st.setString(1, passed ? "passed" : "failed");
                    st.setTimestamp(2, Timestamp.from(at));
                    st.setString(3, resultJson);
                    st.setString(4, id);
                });
    }

    public void restored(String id, String resultJson) {
        update("UPDATE " + table + " SET last_restore = ?::jsonb WHERE id = ?", st -> {
            st.setString(1, resultJson);
            st.setString(2, id);
        });
    }

    public void delete(String id) {
        update("DELETE FROM " + table + " WHERE id = ?", st -> st.setString(1, id));
    }

    public Optional<BackupRun> find(String id) {
        List<BackupRun> runs =
                query("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", st -> st.setString(1, id));
        return runs.stream().findFirst();
    }

    /** Newest first. */
    public List<BackupRun> list(int limit) {
        return query(
                "SELECT " + COLUMNS + " FROM " + table + " ORDER BY started_at DESC, id DESC LIMIT ?",
                st -> st.setInt(1, limit));
    }

    /** The newest start of a run that included {@code component} (any outcome), for schedules. */
    public Optional<Instant> lastStart(String component) {
        List<BackupRun> runs = query(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE ? = ANY(components) ORDER BY started_at DESC LIMIT 1",
                st -> st.setString(1, component));
        return runs.stream().findFirst().map(BackupRun::startedAt);
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("backup catalog: " + e.getMessage(), e);
        }
    }

    private List<BackupRun> query(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            List<BackupRun> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("backup catalog: " + e.getMessage(), e);
        }
    }

    private static BackupRun read(ResultSet rs) throws SQLException {
        Array components = rs.getArray(2);
        long size = rs.getLong(12);
        Long sizeBytes = rs.wasNull() ? null : size;
        return new BackupRun(
                rs.getString(1),
                Arrays.asList((String[]) components.getArray()),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                BackupRun.Status.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                sizeBytes,
                rs.getString(13),
                instant(rs.getTimestamp(14)),
                rs.getString(15),
                rs.getString(16));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
