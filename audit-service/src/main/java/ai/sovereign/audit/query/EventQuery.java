package ai.sovereign.audit.query;

import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.Jdbc;
import ai.sovereign.audit.store.StoredEvent;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads events newest first ({@code event_time DESC, id DESC}) with the filters as bind parameters: one page after a
 * keyset cursor, or every match as a server-side cursor that is fetched in chunks, never all at once.
 */
@Singleton
public final class EventQuery {

    private static final int STREAM_FETCH_SIZE = 1_000;

    private final AuditDatabase database;

    public EventQuery(AuditDatabase database) {
        this.database = database;
    }

    /** Up to {@code limit} events after {@code after}, and the cursor of the next page when there is one. */
    public Page page(EventFilter filter, @Nullable EventCursor after, int limit) throws SQLException {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = select(filter, params);
        if (after != null) {
            sql.append(" AND (event_time, id) < (?, ?)");
            params.add(after.time());
            params.add(after.id());
        }
        sql.append(" ORDER BY event_time DESC, id DESC LIMIT ?");
        params.add(limit + 1);
        List<StoredEvent> events = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            Jdbc.bind(select, params);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(StoredEvent.read(rs));
                }
            }
        }
        if (events.size() <= limit) {
            return new Page(events, null);
        }
        events = events.subList(0, limit);
        StoredEvent last = events.getLast();
        return new Page(
                events, new EventCursor(last.entry().time(), last.entry().id()).encode());
    }

    /** Every matching event, newest first, read as it is consumed; close it to release the connection. */
    public Stream stream(EventFilter filter) throws SQLException {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = select(filter, params).append(" ORDER BY event_time DESC, id DESC");
        Connection connection = database.connect();
        try {
            connection.setAutoCommit(false); // pgjdbc streams with a fetch size only inside a transaction
            connection.setReadOnly(true);
            PreparedStatement select = connection.prepareStatement(sql.toString());
            select.setFetchSize(STREAM_FETCH_SIZE);
            Jdbc.bind(select, params);
            return new Stream(connection, select, select.executeQuery());
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static StringBuilder select(EventFilter filter, List<Object> params) {
        StringBuilder sql =
                new StringBuilder("SELECT ").append(StoredEvent.COLUMNS).append(" FROM events WHERE TRUE");
        filter.appendConditions(sql, params);
        return sql;
    }

    /** A page of events and the cursor after it (null on the last page). */
    public record Page(List<StoredEvent> events, @Nullable String nextCursor) {}

    /** An open result, read one event at a time. */
    public static final class Stream implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rows;
        private boolean closed;

        Stream(Connection connection, PreparedStatement statement, ResultSet rows) {
            this.connection = connection;
            this.statement = statement;
            this.rows = rows;
        }

        /** The next event, or null at the end. */
        public @Nullable StoredEvent next() throws SQLException {
            return rows.next() ? StoredEvent.read(rows) : null;
        }

        @Override
        public void close() throws SQLException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                rows.close();
                statement.close();
                connection.rollback();
            } finally {
                connection.close();
            }
        }
    }
}
