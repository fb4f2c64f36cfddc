package ai.sovereign.router.commands;

import ai.sovereign.events.FleetCommandResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fleet commands and their state in {@code router.fleet_commands}. A finished command never changes again: a late or
 * repeated answer from the host is ignored. Each method holds one pooled connection while it runs
 * ({@code @Connectable}: {@link JdbcOperations} works on the current connection).
 */
@Singleton
@Connectable
public class CommandStore {

    private static final String COLUMNS =
            "command_id, idempotency_key, host_id, action, model, server_url, keep_alive, "
                    + "requested_by, requested_at, status, message, error, completed_bytes, total_bytes, progress_ratio, "
                    + "updated_at, finished_at";
    private static final String NOT_FINISHED = "status NOT IN ('succeeded', 'failed', 'refused')";

    private static final Sort NEWEST_FIRST = Sort.of(Sort.Order.desc("requestedAt"), Sort.Order.desc("commandId"));
    private static final String TABLE = "fleet_commands";

    private final CommandRows rows;
    private final JdbcOperations jdbc;

    CommandStore(CommandRows rows, JdbcOperations jdbc) {
        this.rows = rows;
        this.jdbc = jdbc;
    }

    /**
     * Stores a new command; empty when its id or idempotency key is taken (a concurrent or earlier request), so the
     * caller reads that one instead.
     */
    public Optional<TrackedCommand> insert(TrackedCommand command) {
        CommandRow c = CommandRow.of(command);
        String sql = "INSERT INTO " + TABLE + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " + "ON CONFLICT DO NOTHING RETURNING "
                + COLUMNS;
        return returningOne(sql, s -> {
            s.setString(1, c.commandId());
            s.setString(2, c.idempotencyKey());
            s.setString(3, c.hostId());
            s.setString(4, c.action());
            s.setString(5, c.model());
            s.setString(6, c.serverUrl());
            s.setString(7, c.keepAlive());
            s.setString(8, c.requestedBy());
            s.setTimestamp(9, Timestamp.from(c.requestedAt()));
            s.setString(10, c.status());
            s.setString(11, c.message());
            s.setString(12, c.error());
            setLong(s, 13, c.completedBytes());
            setLong(s, 14, c.totalBytes());
            setDouble(s, 15, c.progressRatio());
            s.setTimestamp(16, Timestamp.from(c.updatedAt()));
            s.setTimestamp(17, c.finishedAt() == null ? null : Timestamp.from(c.finishedAt()));
        });
    }

    public Optional<TrackedCommand> find(String commandId) {
        return rows.findById(commandId).map(CommandRow::toCommand);
    }

    public Optional<TrackedCommand> findByIdempotencyKey(String key) {
        return rows.findByIdempotencyKey(key).map(CommandRow::toCommand);
    }

    /** Newest first; all hosts when {@code hostId} is null. */
    public List<TrackedCommand> recent(@Nullable String hostId, int limit) {
        Pageable page = Pageable.from(0, limit, NEWEST_FIRST);
        List<CommandRow> found = hostId == null ? rows.list(page) : rows.listByHostId(hostId, page);
        return found.stream().map(CommandRow::toCommand).toList();
    }

    /**
     * Records a host's answer and gives the command as it now stands; empty when the command is unknown here,
     * belongs to another host, or has already finished. Progress fields an answer leaves out keep their last value.
     */
    public Optional<TrackedCommand> apply(FleetCommandResult result) {
        CommandStatus status = CommandStatus.of(result.status());
        String sql = "UPDATE " + TABLE + " SET status = ?, message = ?, error = ?, "
                + "completed_bytes = COALESCE(?, completed_bytes), total_bytes = COALESCE(?, total_bytes), "
                + "progress_ratio = COALESCE(?, progress_ratio), updated_at = ?, finished_at = ? "
                + "WHERE command_id = ? AND host_id = ? AND " + NOT_FINISHED + " RETURNING " + COLUMNS;
        boolean failed = status == CommandStatus.FAILED || status == CommandStatus.REFUSED;
        return returningOne(sql, s -> {
            s.setString(1, status.wireName());
            s.setString(2, result.message());
            s.setString(3, failed ? result.message() : null);
            setLong(s, 4, result.completedBytes());
            setLong(s, 5, result.totalBytes());
            setDouble(s, 6, result.progressRatio());
            s.setTimestamp(7, Timestamp.from(result.at()));
            s.setTimestamp(8, status.isTerminal() ? Timestamp.from(result.at()) : null);
            s.setString(9, result.commandId());
            s.setString(10, result.hostId());
        });
    }

    /** Marks a command the router itself could not deliver as failed. */
    public void fail(String commandId, String error, Instant at) {
        String sql =
                "UPDATE " + TABLE + " SET status = 'failed', message = ?, error = ?, updated_at = ?, finished_at = ? "
                        + "WHERE command_id = ? AND " + NOT_FINISHED;
        jdbc.prepareStatement(sql, s -> {
            s.setString(1, error);
            s.setString(2, error);
            s.setTimestamp(3, Timestamp.from(at));
            s.setTimestamp(4, Timestamp.from(at));
            s.setString(5, commandId);
            return s.executeUpdate();
        });
    }

    /** Runs a statement that returns at most one row of the table ({@code ... RETURNING}). */
    private Optional<TrackedCommand> returningOne(String sql, Parameters parameters) {
        return jdbc.prepareStatement(sql, s -> {
            parameters.bind(s);
            try (ResultSet result = s.executeQuery()) {
                return result.next()
                        ? Optional.of(jdbc.readEntity(result, CommandRow.class).toCommand())
                        : Optional.<TrackedCommand>empty();
            }
        });
    }

    @FunctionalInterface
    private interface Parameters {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static void setLong(PreparedStatement s, int index, @Nullable Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    private static void setDouble(PreparedStatement s, int index, @Nullable Double value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, value);
        }
    }
}
