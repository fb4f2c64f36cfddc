package ai.sovereign.ingestion.source;

import ai.sovereign.runtime.postgres.PostgresSettings;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Rows of {@code ingestion.sources} in plain, parameterised JDBC. Every read a caller can reach is scoped to a tenant;
 * Postgres is the source of truth for visibility: a chunk is searchable only while its source row is {@code ready}.
 */
@Singleton
public class SourceRepository {

    private static final String COLUMNS = "id, tenant, name, content_type, content_hash, size_bytes, status, "
            + "failure_reason, chunk_count, entity_count, storage_path, created_at, updated_at";

    private final DataSource dataSource;
    private final String sources;

    public SourceRepository(DataSource dataSource, PostgresSettings settings) {
        this.dataSource = dataSource;
        this.sources = "\"" + settings.schema().replace("\"", "") + "\".sources";
    }

    /** Inserts a queued source; empty when the tenant already has this content (same hash). */
    public boolean insertQueued(
            UUID id,
            String tenant,
            String name,
            String contentType,
            String contentHash,
            long sizeBytes,
            String storagePath) {
        String sql = "INSERT INTO " + sources
                + " (id, tenant, name, content_type, content_hash, size_bytes, status, storage_path) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?) ON CONFLICT (tenant, content_hash) DO NOTHING";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setString(3, name);
            ps.setString(4, contentType);
            ps.setString(5, contentHash);
            ps.setLong(6, sizeBytes);
            ps.setString(7, storagePath);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert source " + id, e);
        }
    }

    public Optional<Source> findByHash(String tenant, String contentHash) {
        return queryOne(
                "SELECT " + COLUMNS + " FROM " + sources + " WHERE tenant = ? AND content_hash = ?",
                tenant,
                contentHash);
    }

    public Optional<Source> find(String tenant, UUID id) {
        return queryOne("SELECT " + COLUMNS + " FROM " + sources + " WHERE tenant = ? AND id = ?", tenant, id);
    }

    /** Page of a tenant's sources, newest first. */
    public List<Source> list(String tenant, int limit, int offset) {
        return query(
                "SELECT " + COLUMNS + " FROM " + sources
                        + " WHERE tenant = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                tenant,
                limit,
                offset);
    }

    public long count(String tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + sources + " WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count sources", e);
        }
    }

    /** Sources still in the pipeline, all tenants (the queue depth gauge). */
    public long inFlight() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM " + sources + " WHERE status NOT IN ('ready', 'failed')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count sources in flight", e);
        }
    }

    /** Moves a source that is not final yet to {@code status}; false when it is gone or already final. */
    public boolean advance(UUID id, SourceStatus status) {
        return update(
                        "UPDATE " + sources
                                + " SET status = ?, updated_at = now() WHERE id = ? AND status NOT IN ('ready', 'failed')",
                        status.wireName(),
                        id)
                == 1;
    }

    public boolean fail(UUID id, String reason) {
        return update(
                        "UPDATE " + sources + " SET status = 'failed', failure_reason = ?, updated_at = now() "
                                + "WHERE id = ? AND status NOT IN ('ready', 'failed')",
                        reason,
                        id)
                == 1;
    }

    /**
     * Marks the source ready and, in the same statement (one transaction), removes the tenant's other ready sources of
     * the same name, so a search sees either the old version or the new one, never both or neither. Returns the
     * replaced sources, whose vectors and graph the caller then removes; empty when the source was deleted meanwhile
     * (see {@code becameReady}). One round trip: the update and the delete are data-modifying CTEs of one statement.
     */
    public ReadyOutcome markReady(UUID id, String tenant, String name, int chunks, int entities) {
        String sql =
                "WITH ready AS (UPDATE " + sources + " SET status = 'ready', failure_reason = NULL, chunk_count = ?, "
                        + "entity_count = ?, updated_at = now() WHERE id = ? AND status NOT IN ('ready', 'failed') RETURNING id), "
                        + "replaced AS (DELETE FROM " + sources
                        + " WHERE tenant = ? AND name = ? AND id <> ? AND status = 'ready' "
                        + "AND EXISTS (SELECT 1 FROM ready) RETURNING " + COLUMNS + ") "
                        + "SELECT (SELECT count(*) FROM ready) AS became_ready, replaced.* FROM (VALUES (1)) AS one (x) LEFT JOIN replaced ON true";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, chunks);
            ps.setInt(2, entities);
            ps.setObject(3, id);
            ps.setString(4, tenant);
            ps.setString(5, name);
            ps.setObject(6, id);
            boolean becameReady = false;
            List<Source> replaced = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    becameReady = rs.getLong("became_ready") == 1;
                    if (rs.getObject("id") != null) {
                        replaced.add(map(rs));
                    }
                }
            }
            return new ReadyOutcome(becameReady, replaced);
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark source " + id + " ready", e);
        }
    }

    /**
     * Takes a queued (or interrupted) source into the pipeline: moves it to {@code parsing} and returns it; empty when it
     * is gone or already final. One round trip for what was a read and an update.
     */
    public Optional<Source> claim(String tenant, UUID id) {
        return queryOne(
                "UPDATE " + sources + " SET status = 'parsing', updated_at = now() "
                        + "WHERE tenant = ? AND id = ? AND status NOT IN ('ready', 'failed') RETURNING " + COLUMNS,
                tenant,
                id);
    }

    /** {@link #advance} for many sources in one statement (those gone or final are left alone). */
    public void advanceAll(Map<UUID, SourceStatus> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, SourceStatus>> rows =
                statuses.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE " + sources + " AS s SET status = v.status, updated_at = now() "
                                + "FROM unnest(?::uuid[], ?::text[]) AS v (id, status) WHERE s.id = v.id AND s.status NOT IN ('ready', 'failed')")) {
            ps.setArray(
                    1,
                    c.createArrayOf("uuid", rows.stream().map(Map.Entry::getKey).toArray()));
            ps.setArray(
                    2,
                    c.createArrayOf(
                            "text",
                            rows.stream().map(e -> e.getValue().wireName()).toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update the status of " + rows.size() + " sources", e);
        }
    }

    /** Result of {@link #markReady}. */
    public record ReadyOutcome(boolean becameReady, List<Source> replaced) {}

    /** Deletes the row; returns it when it existed. */
    public Optional<Source> delete(String tenant, UUID id) {
        List<Source> rows =
                query("DELETE FROM " + sources + " WHERE tenant = ? AND id = ? RETURNING " + COLUMNS, tenant, id);
        return rows.stream().findFirst();
    }

    /** Names of those of {@code ids} that belong to {@code tenant} and are ready: what a search may show. */
    public Map<UUID, String> readyNames(String tenant, Collection<UUID> ids) {
        Map<UUID, String> names = new HashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, name FROM " + sources
                        + " WHERE tenant = ? AND status = 'ready' AND id = ANY (?)")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read source visibility", e);
        }
    }

    /** The worker's view of a job's source (the job carries the tenant). */
    public Optional<Source> findForWorker(String tenant, UUID id) {
        return find(tenant, id);
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update source", e);
        }
    }

    private Optional<Source> queryOne(String sql, Object... args) {
        return query(sql, args).stream().findFirst();
    }

    private List<Source> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Source> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read sources", e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static Source map(ResultSet rs) throws SQLException {
        Timestamp created = rs.getTimestamp("created_at");
        Timestamp updated = rs.getTimestamp("updated_at");
        return new Source(
                rs.getObject("id", UUID.class),
                rs.getString("tenant"),
                rs.getString("name"),
                rs.getString("content_type"),
                rs.getString("content_hash"),
                rs.getLong("size_bytes"),
                SourceStatus.fromWire(rs.getString("status")),
                rs.getString("failure_reason"),
                rs.getInt("chunk_count"),
                rs.getInt("entity_count"),
                rs.getString("storage_path"),
                created.toInstant(),
                updated.toInstant());
    }
}
