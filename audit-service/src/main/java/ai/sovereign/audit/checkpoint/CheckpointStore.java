package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checkpoint rows in the {@code checkpoints} table. */
public final class CheckpointStore {

    private static final String COLUMNS = "chain, seq, hash, signed_at, previous_signature, key_id, signature";

    private CheckpointStore() {}

    /** Inserts {@code checkpoint} unless one exists for its chain and seq; true if inserted. */
    static boolean insert(Connection connection, Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO checkpoints (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chain, seq) DO NOTHING")) {
            insert.setInt(1, checkpoint.chain());
            insert.setLong(2, checkpoint.seq());
            insert.setBytes(3, checkpoint.hash());
            insert.setObject(4, Jdbc.timestamptz(checkpoint.time()));
            insert.setBytes(5, checkpoint.previousSignature());
            insert.setString(6, checkpoint.keyId());
            insert.setBytes(7, checkpoint.signature());
            return insert.executeUpdate() == 1;
        }
    }

    /** The newest checkpoint of {@code chain}. */
    static Optional<Checkpoint> latest(Connection connection, int chain) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM checkpoints WHERE chain = ? ORDER BY seq DESC LIMIT 1")) {
            select.setInt(1, chain);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** All checkpoints of {@code chain} in seq order. */
    public static List<Checkpoint> ofChain(Connection connection, int chain) throws SQLException {
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM checkpoints WHERE chain = ? ORDER BY seq")) {
            select.setInt(1, chain);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    checkpoints.add(read(rs));
                }
            }
        }
        return checkpoints;
    }

    /**
     * A page of checkpoints, newest first, optionally of one chain, after the keyset {@code (signed_at, chain, seq)}
     * of the last one seen.
     */
    static List<Checkpoint> page(Connection connection, Integer chain, CheckpointCursor after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM checkpoints WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (chain != null) {
            sql.append(" AND chain = ?");
            params.add(chain);
        }
        if (after != null) {
            sql.append(" AND (signed_at, chain, seq) < (?, ?, ?)");
            params.add(after.time());
            params.add(after.chain());
            params.add(after.seq());
        }
        sql.append(" ORDER BY signed_at DESC, chain DESC, seq DESC LIMIT ?");
        params.add(limit);
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            Jdbc.bind(select, params);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    checkpoints.add(read(rs));
                }
            }
        }
        return checkpoints;
    }

    private static Checkpoint read(ResultSet rs) throws SQLException {
        Instant time = Jdbc.instant(rs, 4);
        return new Checkpoint(
                rs.getInt(1), rs.getLong(2), rs.getBytes(3), time, rs.getBytes(5), rs.getString(6), rs.getBytes(7));
    }
}
