package ai.sovereign.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure the monthly partitions that rows are about to land in exist. Creating a partition locks its parent, so
 * it happens outside the ingest transaction, once per month per process (and the next month ahead of time, so the
 * month boundary needs no DDL at all).
 */
public final class Partitions {

    /** The month-partitioned tables. */
    public static final List<String> TABLES = List.of("events", "usage_records");

    private final AuditDatabase database;
    private final Set<YearMonth> ensured = ConcurrentHashMap.newKeySet();

    public Partitions(AuditDatabase database) {
        this.database = database;
    }

    /** Creates the partitions of the month of {@code instant} (UTC) and of the month after, if missing. */
    public void ensureFor(Instant instant) throws SQLException {
        YearMonth month = YearMonth.from(instant.atZone(ZoneOffset.UTC));
        if (ensured.contains(month) && ensured.contains(month.plusMonths(1))) {
            return;
        }
        try (Connection connection = database.connect();
                PreparedStatement ensure = connection.prepareStatement("SELECT ensure_month_partition(?, ?)")) {
            for (YearMonth m : List.of(month, month.plusMonths(1))) {
                for (String table : TABLES) {
                    ensure.setString(1, table);
                    ensure.setObject(2, m.atDay(1));
                    ensure.executeQuery().close();
                }
                ensured.add(m);
            }
        }
    }

    /** Forgets what was ensured (after retention dropped partitions). */
    public void forget() {
        ensured.clear();
    }

    /** The first day of the month of {@code instant} in UTC. */
    public static LocalDate monthStart(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC)).atDay(1);
    }
}
