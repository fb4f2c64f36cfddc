package ai.sovereign.router.commands;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.runtime.postgres.PostgresSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Fleet commands and their state in {@code router.fleet_commands}. A finished command never changes again: a late or
 * repeated answer from the host is ignored.
 */
@Singleton
public class CommandStore {

    private static final String COLUMNS = "command_id, idempotency_key, host_id, action, model, server_url, keep_alive, "
            + "requested_by, requested_at, status, message, error, completed_bytes, total_bytes, progress_ratio, "
            + "updated_at, finished_at";
    private static final String NOT_FINISHED = "status NOT IN ('succeeded', 'failed', 'refused')";

    private final DataSource dataSource;
    private final String table;

    public CommandStore(DataSource dataSource, PostgresSettings postgres) {
        this.dataSource = dataSource;
        this.table = postgres.schema() + ".fleet_commands";
    }

    /**
     * Stores a new command; empty when its id or idempotency key is taken (a concurrent or earlier request), so the
     * caller reads that one instead.
     */
    public Optional<TrackedCommand> insert(TrackedCommand c) {
        String sql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING RETURNING " + COLUMNS;
        try (Connection connection = dataSource.getConnection(); PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, c.commandId());
            s.setString(2, c.idempotencyKey());
            s.setString(3, c.hostId());
            s.setString(4, c.action().name().toLowerCase(Locale.ROOT));
            s.setString(5, c.model());
            s.setString(6, c.serverUrl());
            s.setString(7, c.keepAlive());
            s.setString(8, c.requestedBy());
            s.setTimestamp(9, Timestamp.from(c.requestedAt()));
            s.setString(10, c.status().wireName());
            s.setString(11, c.message());
            s.setString(12, c.error());
            setLong(s, 13, c.completedBytes());
            setLong(s, 14, c.totalBytes());
            if (c.progressRatio() == null) {
                s.setNull(15, Types.DOUBLE);
            } else {
                s.setDouble(15, c.progressRatio());
            }
            s.setTimestamp(16, Timestamp.from(c.updatedAt()));
            s.setTimestamp(17, c.finishedAt() == null ? null : Timestamp.from(c.finishedAt()));
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("storing command " + c.commandId(), e);
        }
    }

    public Optional<TrackedCommand> find(String commandId) {
        return one("SELECT " + COLUMNS + " FROM " + table + " WHERE command_id = ?", commandId);
    }

    public Optional<TrackedCommand> findByIdempotencyKey(String key) {
        return one("SELECT " + COLUMNS + " FROM " + table + " WHERE idempotency_key = ?", key);
    }

    /** Newest first; all hosts when {@code hostId} is null. */
    public List<TrackedCommand> recent(@Nullable String hostId, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM " + table + (hostId == null ? "" : " WHERE host_id = ?")
                + " ORDER BY requested_at DESC, command_id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement s = connection.prepareStatement(sql)) {
            int i = 1;
            if (hostId != null) {
                s.setString(i++, hostId);
            }
            s.setInt(i, limit);
            List<TrackedCommand> list = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    list.add(map(rows));
                }
            }
            return list;
        } catch (SQLException e) {
            throw failure("listing commands", e);
        }
    }

    /**
     * Records a host's answer and gives the command as it now stands; empty when the command is unknown here,
     * belongs to another host, or has already finished. Progress fields an answer leaves out keep their last value.
     */
    public Optional<TrackedCommand> apply(FleetCommandResult result) {
        CommandStatus status = CommandStatus.of(result.status());
        String sql = "UPDATE " + table + " SET status = ?, message = ?, error = ?, "
                + "completed_bytes = COALESCE(?, completed_bytes), total_bytes = COALESCE(?, total_bytes), "
                + "progress_ratio = COALESCE(?, progress_ratio), updated_at = ?, finished_at = ? "
                + "WHERE command_id = ? AND host_id = ? AND " + NOT_FINISHED + " RETURNING " + COLUMNS;
        try (Connection connection = dataSource.getConnection(); PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, status.wireName());
            s.setString(2, result.message());
            boolean failed = status == CommandStatus.FAILED || status == CommandStatus.REFUSED;
            s.setString(3, failed ? result.message() : null);
            setLong(s, 4, result.completedBytes());
            setLong(s, 5, result.totalBytes());
            if (result.progressRatio() == null) {
                s.setNull(6, Types.DOUBLE);
            } else {
                s.setDouble(6, result.progressRatio());
            }
            s.setTimestamp(7, Timestamp.from(result.at()));
            s.setTimestamp(8, status.isTerminal() ? Timestamp.from(result.at()) : null);
            s.setString(9, result.commandId());
            s.setString(10, result.hostId());
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("recording the result of command " + result.commandId(), e);
        }
    }

    /** Marks a command the router itself could not deliver as failed. */
    public void fail(String commandId, String error, Instant at) {
        String sql = "UPDATE " + table + " SET status = 'failed', message = ?, error = ?, updated_at = ?, finished_at = ? "
                + "WHERE command_id = ? AND " + NOT_FINISHED;
        try (Connection connection = dataSource.getConnection(); PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, error);
            s.setString(2, error);
            s.setTimestamp(3, Timestamp.from(at));
            s.setTimestamp(4, Timestamp.from(at));
            s.setString(5, commandId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure("failing command " + commandId, e);
        }
    }

    private Optional<TrackedCommand> one(String sql, String value) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("reading commands", e);
        }
    }

    private static TrackedCommand map(ResultSet r) throws SQLException {
        Timestamp finished = r.getTimestamp("finished_at");
        double ratio = r.getDouble("progress_ratio");
        Double progressRatio = r.wasNull() ? null : ratio;
        return new TrackedCommand(r.getString("command_id"), r.getString("idempotency_key"), r.getString("host_id"),
                FleetCommand.Action.valueOf(r.getString("action").toUpperCase(Locale.ROOT)), r.getString("model"),
                r.getString("server_url"), r.getString("keep_alive"), r.getString("requested_by"),
                r.getTimestamp("requested_at").toInstant(),
                CommandStatus.valueOf(r.getString("status").toUpperCase(Locale.ROOT)), r.getString("message"),
                r.getString("error"), r.getObject("completed_bytes", Long.class), r.getObject("total_bytes", Long.class),
                progressRatio, r.getTimestamp("updated_at").toInstant(), finished == null ? null : finished.toInstant());
    }

    private static void setLong(PreparedStatement s, int index, @Nullable Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException(what + " in " + table + " failed: " + e.getMessage(), e);
    }
}
