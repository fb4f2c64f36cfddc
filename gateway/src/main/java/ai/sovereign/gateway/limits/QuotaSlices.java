package ai.sovereign.gateway.limits;

import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.replicas.ReplicaShare;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key's per-minute RPM and TPM allowance shared by every gateway replica. The allowance of a key for one UTC minute
 * lives in {@code key_limit_windows}; a replica takes a slice of it (5 % of the limit divided by the live replicas, at
 * least 1) with one UPDATE that never grants beyond the limit, and admits requests from its slice in memory, so a
 * request waits on PostgreSQL only when its replica's slice is used up. Together the replicas are never given more than
 * the limit in a minute; what a replica holds unused when the minute ends (at most a slice each) is lost, so a key may
 * get up to 5 % less than its limit under load spread over several replicas.
 *
 * <p>When PostgreSQL cannot be asked, a replica falls back to its local share of the limit (the limit divided by the
 * live replicas it last saw) for the minute, counting what it admitted itself, and asks PostgreSQL again after
 * {@value #RETRY_AFTER_MILLIS} ms, adding what it admitted alone to the minute's shared count when it answers;
 * {@link #shared()} says which mode it is in (in {@code /health} and the {@code gateway_limits_shared} gauge).
 */
@Singleton
public class QuotaSlices {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaSlices.class);
    private static final long RETRY_AFTER_MILLIS = 5_000;
    private static final double SLICE_FRACTION = 0.05;

    /** The limited quantities. */
    public enum Kind {
        RPM("rpm"),
        TPM("tpm");

        final String column;

        Kind(String column) {
            this.column = column;
        }
    }

    private final DataSource dataSource;
    private final String table;
    private final Clock clock;
    private final Map<Slot, Window> windows = new ConcurrentHashMap<>();
    private volatile Supplier<ReplicaShare> share = () -> ReplicaShare.ALONE;
    private volatile long storeRetryAt;
    private volatile String storeError;

    private record Slot(UUID keyId, Kind kind) {}

    /** What this replica holds of one key's allowance in one minute. Guarded by itself. */
    private static final class Window {
        long minute = Long.MIN_VALUE;
        /** Taken from the shared allowance and not yet used; negative when TPM charges went beyond it. */
        long remaining;
        /** Admitted (RPM) or charged (TPM) by this replica in this minute. */
        long used;
        /** The shared allowance of this minute is all given out (or, PostgreSQL unreachable, this replica's share). */
        boolean exhausted;
        /** {@link #remaining} came from the local share, PostgreSQL unreachable. */
        boolean local;
        /** Admitted from the local share: added to the shared allowance's count once PostgreSQL answers again. */
        long unreported;

        void roll(long now) {
            if (minute != now) {
                minute = now;
                remaining = 0;
                used = 0;
                exhausted = false;
                local = false;
                unreported = 0;
            }
        }

        void use(long n) {
            remaining -= n;
            used += n;
            if (local) {
                unreported += n;
            }
        }
    }

    public QuotaSlices(DataSource dataSource, PostgresSettings postgres) {
        this(dataSource, postgres.schema() + ".key_limit_windows", Clock.systemUTC());
    }

    QuotaSlices(DataSource dataSource, String table, Clock clock) {
        this.dataSource = dataSource;
        this.table = table;
        this.clock = clock;
    }

    /** Where the live replica count comes from (the gateway's heartbeat); alone until set. */
    public void shareFrom(Supplier<ReplicaShare> source) {
        this.share = source;
    }

    /**
     * Whether {@link #take} of one and {@link #positive} answer for this key from memory, without asking PostgreSQL.
     */
    public boolean decidesInMemory(UUID keyId, Kind kind) {
        Window w = windows.get(new Slot(keyId, kind));
        if (w == null) {
            return false;
        }
        synchronized (w) {
            return w.minute == minute() && (w.remaining >= 1 || (w.exhausted && !retryDue(w)));
        }
    }

    /**
     * Takes {@code n} of {@code limit} for this minute (RPM: 1 per request). Asks PostgreSQL for a slice when this
     * replica's is used up, unless {@code mayBlock} is false: then answers false instead (and the caller asks again on
     * a thread that may block). Takes nothing when it answers false.
     */
    public boolean take(UUID keyId, Kind kind, long limit, long n, boolean mayBlock) {
        Window w = windows.computeIfAbsent(new Slot(keyId, kind), s -> new Window());
        synchronized (w) {
            w.roll(minute());
            if (w.remaining < n && (!w.exhausted || retryDue(w))) {
                if (!mayBlock) {
                    return false;
                }
                refill(keyId, kind, limit, n - w.remaining, w);
            }
            if (w.remaining >= n) {
                w.use(n);
                return true;
            }
            return false;
        }
    }

    /** Whether this minute's allowance is not used up (TPM: a request is admitted while any token is left). */
    public boolean positive(UUID keyId, Kind kind, long limit, boolean mayBlock) {
        Window w = windows.computeIfAbsent(new Slot(keyId, kind), s -> new Window());
        synchronized (w) {
            w.roll(minute());
            if (w.remaining <= 0 && (!w.exhausted || retryDue(w))) {
                if (!mayBlock) {
                    return false;
                }
                refill(keyId, kind, limit, 1 - w.remaining, w);
            }
            return w.remaining > 0;
        }
    }

    /** Charges {@code n} used after the fact (TPM: the response's tokens); the balance may go below zero. */
    public void charge(UUID keyId, Kind kind, long n) {
        Window w = windows.computeIfAbsent(new Slot(keyId, kind), s -> new Window());
        synchronized (w) {
            w.roll(minute());
            w.use(n);
        }
    }

    /** Seconds until the next minute begins, when every allowance renews (at least 1). */
    public long secondsToNextWindow() {
        long millis = clock.millis();
        return Math.max(1, (60_000 - millis % 60_000 + 999) / 1000);
    }

    /** Whether the limits are shared through PostgreSQL now (false: this replica counts its local share alone). */
    public boolean shared() {
        return storeError == null;
    }

    /** Why the limits are not shared now, or null. */
    public String storeError() {
        return storeError;
    }

    public ReplicaShare replicaShare() {
        return share.get();
    }

    /** Whether a window limited by the local share should ask PostgreSQL again. */
    private boolean retryDue(Window w) {
        return w.local && clock.millis() >= storeRetryAt;
    }

    private long minute() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }

    /** Adds at least {@code need} to {@code w.remaining} if the shared allowance has it, else what is left of it. */
    private void refill(UUID keyId, Kind kind, long limit, long need, Window w) {
        ReplicaShare replicas = share.get();
        if (storeError == null || clock.millis() >= storeRetryAt) {
            long slice = Math.max(need, Math.max(1, (long) (limit * SLICE_FRACTION / replicas.live())));
            try {
                if (w.unreported > 0) {
                    claim(keyId, kind, w.minute, limit, w.unreported); // what it admitted alone counts for all
                    w.unreported = 0;
                }
                if (w.local) {
                    w.local = false;
                    w.exhausted = false;
                    w.remaining = Math.min(0, w.remaining); // the rest of the local share is not the shared one's
                }
                long granted = claim(keyId, kind, w.minute, limit, slice);
                w.remaining += granted;
                if (granted < slice) {
                    w.exhausted = true;
                }
                if (storeError != null) {
                    LOG.info("PostgreSQL answers again: key limits are shared by the gateway replicas again");
                    storeError = null;
                }
                return;
            } catch (SQLException e) {
                if (storeError == null) {
                    LOG.warn(
                            "key limits cannot be shared, PostgreSQL unreachable ({}): until it answers, this replica"
                                    + " admits its local share of each limit, 1/{} of it",
                            e.getMessage(),
                            replicas.live());
                }
                storeError = String.valueOf(e.getMessage());
                storeRetryAt = clock.millis() + RETRY_AFTER_MILLIS;
            }
        }
        // local share: what this replica may admit in this minute on its own, less what it already admitted
        w.local = true;
        long local = replicas.portion(limit) - w.used;
        if (local > w.remaining) {
            w.remaining = local;
        }
        if (w.remaining < need) {
            w.exhausted = true;
        }
    }

    /** Adds up to {@code want} to the minute's granted allowance, never beyond {@code limit}; answers what it added. */
    private long claim(UUID keyId, Kind kind, long minute, long limit, long want) throws SQLException {
        String grow = "UPDATE " + table + " w SET granted = LEAST(?, o.granted + ?)"
                + " FROM (SELECT key_id, kind, window_minute, granted FROM " + table
                + " WHERE key_id = ? AND kind = ? AND window_minute = ? FOR UPDATE) o"
                + " WHERE w.key_id = o.key_id AND w.kind = o.kind AND w.window_minute = o.window_minute"
                + " RETURNING GREATEST(0, w.granted - o.granted)";
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement st = c.prepareStatement(grow)) {
                    st.setLong(1, limit);
                    st.setLong(2, want);
                    st.setObject(3, keyId);
                    st.setString(4, kind.column);
                    st.setLong(5, minute);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            return rs.getLong(1);
                        }
                    }
                }
                try (PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                        + " (key_id, kind, window_minute, granted) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING")) {
                    st.setObject(1, keyId);
                    st.setString(2, kind.column);
                    st.setLong(3, minute);
                    st.executeUpdate();
                }
                if (attempt == 0 && minute % 10 == 0) {
                    forgetOldWindows(c, minute);
                }
            }
            throw new SQLException("the window row of key " + keyId + " vanished while it was claimed from");
        }
    }

    /** Deletes windows that ended more than two minutes ago (they no longer limit anything). */
    private void forgetOldWindows(Connection c, long minute) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE window_minute < ?")) {
            st.setLong(1, minute - 2);
            st.executeUpdate();
        }
    }
}
