package ai.sovereign.audit.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The few JDBC conversions this service repeats: instants as {@code timestamptz} and positional parameters. */
public final class Jdbc {

    private Jdbc() {}

    /** An instant as pgjdbc binds a {@code timestamptz} without involving the JVM's time zone. */
    public static OffsetDateTime timestamptz(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Binds {@code params} to the statement's placeholders in order; instants become {@code timestamptz}. */
    public static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            statement.setObject(i + 1, value instanceof Instant instant ? timestamptz(instant) : value);
        }
    }
}
