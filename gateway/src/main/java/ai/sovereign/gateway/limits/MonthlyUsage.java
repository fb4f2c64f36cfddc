package ai.sovereign.gateway.limits;

import ai.sovereign.runtime.postgres.PostgresSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens used per key and UTC calendar month, durable in {@code key_monthly_usage}. Reads come from memory after the
 * first load of a (key, month); each charge is added in memory at once and the charges are written to PostgreSQL in
 * one batch per second (and at shutdown), so the request path never touches the database for metering. A crash can
 * lose at most the last second of charges. After each batch the replica reads back the totals of the (key, month)s
 * whose budget it has checked ({@link #used}), so it sees its own charges at once and the other replicas' within about
 * two seconds: a budget is overshot by at most what the other replicas charged in that time, plus the requests in
 * flight when it ran out. Keys without a budget are only written, never read back.
 */
@Singleton
public class MonthlyUsage {

    private static final Logger LOG = LoggerFactory.getLogger(MonthlyUsage.class);

    private final DataSource dataSource;
    private final String table;
    private final Map<KeyMonth, AtomicLong> used = new ConcurrentHashMap<>();
    private final Map<KeyMonth, AtomicLong> pending = new ConcurrentHashMap<>();
    /** The (key, month)s whose budget was checked: the ones {@link #refresh} reads back. */
    private final java.util.Set<KeyMonth> budgeted = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("usage-flush").daemon().factory());

    private record KeyMonth(UUID keyId, YearMonth month) {}

    public MonthlyUsage(DataSource dataSource, PostgresSettings postgres) {
        this.dataSource = dataSource;
        this.table = postgres.schema() + ".key_monthly_usage";
        flusher.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    /** Tokens {@code keyId} used in {@code month}. Blocking on first use of a (key, month). */
    public long used(UUID keyId, YearMonth month) {
        budgeted.add(new KeyMonth(keyId, month));
        return counter(keyId, month).get();
    }

    /** Whether {@link #used} answers from memory for this (key, month), without touching PostgreSQL. */
    public boolean loaded(UUID keyId, YearMonth month) {
        return used.containsKey(new KeyMonth(keyId, month));
    }

    public void add(UUID keyId, YearMonth month, long tokens) {
        if (tokens <= 0) {
            return;
        }
        counter(keyId, month).addAndGet(tokens);
        pending.computeIfAbsent(new KeyMonth(keyId, month), p -> new AtomicLong())
                .addAndGet(tokens);
    }

    /** Writes the charges made since the last flush in one batch, then reads back what all replicas charged. */
    void flush() {
        pending.forEach((key, charged) -> {
            long tokens = charged.getAndSet(0);
            if (tokens > 0 && !write(key.keyId(), key.month(), tokens)) {
                charged.addAndGet(tokens); // PostgreSQL unreachable: keep them for the next flush
            }
        });
        refresh();
    }

    /** Sets each budgeted (key, month) to its stored total plus this replica's charges not yet written. */
    private void refresh() {
        if (budgeted.isEmpty()) {
            return;
        }
        Map<YearMonth, List<UUID>> byMonth = new HashMap<>();
        budgeted.forEach(
                k -> byMonth.computeIfAbsent(k.month(), m -> new ArrayList<>()).add(k.keyId()));
        String sql = "SELECT key_id, tokens FROM " + table + " WHERE month = ? AND key_id = ANY(?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            for (Map.Entry<YearMonth, List<UUID>> month : byMonth.entrySet()) {
                st.setDate(1, Date.valueOf(month.getKey().atDay(1)));
                st.setArray(2, c.createArrayOf("uuid", month.getValue().toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        KeyMonth key = new KeyMonth(rs.getObject(1, UUID.class), month.getKey());
                        AtomicLong unwritten = pending.get(key);
                        AtomicLong counter = used.get(key);
                        if (counter != null) {
                            counter.set(rs.getLong(2) + (unwritten == null ? 0 : unwritten.get()));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debug("could not read back the monthly usage totals: {}", e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        flusher.shutdown();
        flush();
    }

    private AtomicLong counter(UUID keyId, YearMonth month) {
        return used.computeIfAbsent(new KeyMonth(keyId, month), k -> new AtomicLong(load(keyId, month)));
    }

    private long load(UUID keyId, YearMonth month) {
        String sql = "SELECT tokens FROM " + table + " WHERE key_id = ? AND month = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, keyId);
            st.setDate(2, Date.valueOf(month.atDay(1)));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the monthly usage of key " + keyId, e);
        }
    }

    private boolean write(UUID keyId, YearMonth month, long tokens) {
        String sql = "INSERT INTO " + table + " (key_id, month, tokens) VALUES (?, ?, ?) "
                + "ON CONFLICT (key_id, month) DO UPDATE SET tokens = " + table + ".tokens + EXCLUDED.tokens";
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, keyId);
            st.setDate(2, Date.valueOf(LocalDate.of(month.getYear(), month.getMonth(), 1)));
            st.setLong(3, tokens);
            st.executeUpdate();
            return true;
        } catch (SQLException e) {
            LOG.warn(
                    "{} tokens of key {} for {} not yet recorded, will retry: {}",
                    tokens,
                    keyId,
                    month,
                    e.getMessage());
            return false;
        }
    }
}
