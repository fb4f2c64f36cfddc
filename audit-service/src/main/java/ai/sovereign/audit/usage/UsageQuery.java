package ai.sovereign.audit.usage;

import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.Jdbc;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums the usage ledger per group over the requests started in {@code [from, to)}. The grouping expression comes from
 * {@link UsageGrouping}; the times travel as bind parameters.
 */
@Singleton
public final class UsageQuery {

    private final AuditDatabase database;

    public UsageQuery(AuditDatabase database) {
        this.database = database;
    }

    public List<UsageTotals> totals(UsageGrouping grouping, @Nullable Instant from, @Nullable Instant to)
            throws SQLException {
        String sql = "SELECT " + grouping.expression() + " AS grp, count(*), coalesce(sum(prompt_tokens), 0),"
                + " coalesce(sum(completion_tokens), 0),"
                + " count(*) FILTER (WHERE status IN ('ERROR', 'REJECTED')),"
                + " count(*) FILTER (WHERE status = 'CANCELLED'),"
                + " percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)"
                + " FROM usage_records"
                + " WHERE started_at >= coalesce(?, '-infinity'::timestamptz)"
                + " AND started_at < coalesce(?, 'infinity'::timestamptz)"
                + " GROUP BY grp ORDER BY sum(prompt_tokens) + sum(completion_tokens) DESC, grp";
        List<UsageTotals> totals = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, Jdbc.timestamptz(from), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            select.setObject(2, Jdbc.timestamptz(to), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    double p95 = rs.getDouble(7);
                    Double p95OrNull = rs.wasNull() ? null : Math.round(p95 * 1000.0) / 1000.0;
                    totals.add(new UsageTotals(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(3) + rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            p95OrNull));
                }
            }
        }
        return totals;
    }
}
