package ai.sovereign.gateway.keys;

import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.security.Role;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Rows of {@code api_keys} in the gateway's schema, over plain parameterised JDBC. Blocking: call off the event loop. */
@Singleton
public class ApiKeyStore {

    private static final String COLUMNS = "id, name, tenant, role, key_hash, key_prefix, allowed_models, rpm, tpm, "
            + "monthly_token_budget, max_concurrent, expires_at, revoked_at, created_by, created_at, last_used_at, "
            + "max_priority";

    private final DataSource dataSource;
    private final String table;

    public ApiKeyStore(DataSource dataSource, PostgresSettings postgres) {
        this.dataSource = dataSource;
        this.table = postgres.schema() + ".api_keys";
    }

    /** A key with its stored hash. */
    public record StoredKey(ApiKey key, byte[] hash) {}

    public void insert(ApiKey key, byte[] hash) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, key, hash);
        } catch (SQLException e) {
            throw new KeyStoreException("could not store API key " + key.id(), e);
        }
    }

    /**
     * Stores {@code key} only if no usable admin key exists at {@code now}, deciding under a transaction-wide advisory
     * lock, so that of several gateway replicas starting on an empty table exactly one stores its key.
     */
    public boolean insertIfNoUsableAdmin(ApiKey key, byte[] hash, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock =
                        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('sovereign.gateway.first-admin'))")) {
                    lock.execute();
                }
                boolean exists = hasUsableAdmin(c, now);
                if (!exists) {
                    insert(c, key, hash);
                }
                c.commit();
                return !exists;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new KeyStoreException("could not store the first admin key " + key.id(), e);
        }
    }

    private void insert(Connection c, ApiKey key, byte[] hash) throws SQLException {
        String sql = "INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, key.id());
            st.setString(2, key.name());
            st.setString(3, key.tenant());
            st.setString(4, key.role().wireName());
            st.setBytes(5, hash);
            st.setString(6, key.keyPrefix());
            st.setArray(7, c.createArrayOf("text", key.allowedModels().toArray()));
            setInt(st, 8, key.limits().rpm());
            setInt(st, 9, key.limits().tpm());
            setLong(st, 10, key.limits().monthlyTokenBudget());
            setInt(st, 11, key.limits().maxConcurrent());
            setInstant(st, 12, key.expiresAt());
            setInstant(st, 13, key.revokedAt());
            st.setString(14, key.createdBy());
            setInstant(st, 15, key.createdAt());
            setInstant(st, 16, key.lastUsedAt());
            setInt(st, 17, key.limits().maxPriority());
            st.executeUpdate();
        }
    }

    public Optional<StoredKey> findByHash(byte[] hash) {
        return queryOne("SELECT " + COLUMNS + " FROM " + table + " WHERE key_hash = ?", st -> st.setBytes(1, hash));
    }

    public Optional<ApiKey> findById(UUID id) {
        return queryOne("SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", st -> st.setObject(1, id))
                .map(StoredKey::key);
    }

    /** All keys, newest first, optionally of one tenant. */
    public List<ApiKey> list(@Nullable String tenant) {
        String sql = "SELECT " + COLUMNS + " FROM " + table + (tenant == null ? "" : " WHERE tenant = ?")
                + " ORDER BY created_at DESC, id";
        List<ApiKey> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            if (tenant != null) {
                st.setString(1, tenant);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.add(read(rs).key());
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new KeyStoreException("could not list API keys", e);
        }
    }

    /** Writes the mutable attributes (name, role, models, limits, expiry) of {@code key}. */
    public void update(ApiKey key) {
        String sql = "UPDATE " + table + " SET name = ?, role = ?, allowed_models = ?, rpm = ?, tpm = ?, "
                + "monthly_token_budget = ?, max_concurrent = ?, expires_at = ?, max_priority = ? WHERE id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, key.name());
            st.setString(2, key.role().wireName());
            st.setArray(3, c.createArrayOf("text", key.allowedModels().toArray()));
            setInt(st, 4, key.limits().rpm());
            setInt(st, 5, key.limits().tpm());
            setLong(st, 6, key.limits().monthlyTokenBudget());
            setInt(st, 7, key.limits().maxConcurrent());
            setInstant(st, 8, key.expiresAt());
            setInt(st, 9, key.limits().maxPriority());
            st.setObject(10, key.id());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new KeyStoreException("could not update API key " + key.id(), e);
        }
    }

    /** Marks the key revoked at {@code at} unless it already is; true when this call revoked it. */
    public boolean revoke(UUID id, Instant at) {
        return execute("UPDATE " + table + " SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", st -> {
                    st.setTimestamp(1, Timestamp.from(at));
                    st.setObject(2, id);
                })
                == 1;
    }

    /** Replaces the key material of an unrevoked key; true when it was replaced. */
    public boolean replaceHash(UUID id, byte[] hash, String prefix) {
        return execute(
                        "UPDATE " + table + " SET key_hash = ?, key_prefix = ? WHERE id = ? AND revoked_at IS NULL",
                        st -> {
                            st.setBytes(1, hash);
                            st.setString(2, prefix);
                            st.setObject(3, id);
                        })
                == 1;
    }

    public void touchLastUsed(UUID id, Instant at) {
        execute("UPDATE " + table + " SET last_used_at = ? WHERE id = ?", st -> {
            st.setTimestamp(1, Timestamp.from(at));
            st.setObject(2, id);
        });
    }

    public boolean existsByHash(byte[] hash) {
        return findByHash(hash).isPresent();
    }

    /** Whether any admin key that is neither revoked nor expired exists. */
    public boolean hasUsableAdmin(Instant now) {
        try (Connection c = dataSource.getConnection()) {
            return hasUsableAdmin(c, now);
        } catch (SQLException e) {
            throw new KeyStoreException("could not look for admin keys", e);
        }
    }

    private boolean hasUsableAdmin(Connection c, Instant now) throws SQLException {
        String sql = "SELECT 1 FROM " + table + " WHERE role = 'admin' AND revoked_at IS NULL "
                + "AND (expires_at IS NULL OR expires_at > ?) LIMIT 1";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private int execute(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new KeyStoreException("API key update failed", e);
        }
    }

    private Optional<StoredKey> queryOne(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new KeyStoreException("API key lookup failed", e);
        }
    }

    private static StoredKey read(ResultSet rs) throws SQLException {
        Array models = rs.getArray("allowed_models");
        List<String> allowed =
                Arrays.stream((Object[]) models.getArray()).map(String::valueOf).toList();
        ApiKey key = new ApiKey(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("tenant"),
                Role.parse(rs.getString("role")),
                rs.getString("key_prefix"),
                allowed,
                new KeyLimits(
                        getInt(rs, "rpm"),
                        getInt(rs, "tpm"),
                        getLong(rs, "monthly_token_budget"),
                        getInt(rs, "max_concurrent"),
                        getInt(rs, "max_priority")),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "last_used_at"));
        return new StoredKey(key, rs.getBytes("key_hash"));
    }

    private static @Nullable Integer getInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static void setInt(PreparedStatement st, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement st, int index, @Nullable Long value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.BIGINT);
        } else {
            st.setLong(index, value);
        }
    }

    private static void setInstant(PreparedStatement st, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            st.setTimestamp(index, Timestamp.from(value));
        }
    }

    /** The key store could not be read or written. */
    public static final class KeyStoreException extends RuntimeException {
        public KeyStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
