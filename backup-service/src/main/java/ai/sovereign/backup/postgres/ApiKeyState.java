package ai.sovereign.backup.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A restore in place must not re-open a door the backup still had open: before the gateway's schema is replaced, the
 * live revocation and key material of every API key is read, and after the backup's rows are in, a key revoked since
 * the backup is revoked again and a key rotated since the backup keeps its new secret (the old one does not come back).
 * Keys created after the backup are gone with the rest of the schema's newer rows.
 */
final class ApiKeyState {

    static final String SCHEMA = "gateway";

    private ApiKeyState() {}

    /** One live key's state. */
    record Live(UUID id, Timestamp revokedAt, byte[] keyHash, String keyPrefix) {}

    /** The live keys, or none when the gateway's table is not there. */
    static List<Live> read(Connection c) throws SQLException {
        List<Live> live = new ArrayList<>();
        // the gateway's table as its migrations make it: anything else (no table, other columns) has no key state
        try (Statement st = c.createStatement();
                ResultSet exists = st.executeQuery("""
                        SELECT count(*) = 4 FROM pg_attribute
                        WHERE attrelid = to_regclass('gateway.api_keys') AND NOT attisdropped
                          AND attname IN ('id', 'revoked_at', 'key_hash', 'key_prefix')""")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return live;
            }
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, revoked_at, key_hash, key_prefix FROM gateway.api_keys")) {
            while (rs.next()) {
                live.add(new Live(rs.getObject(1, UUID.class), rs.getTimestamp(2), rs.getBytes(3), rs.getString(4)));
            }
        }
        return live;
    }

    /** Puts the live revocations and key material back over the restored rows; returns how many keys it changed. */
    static int reapply(Connection c, List<Live> live) throws SQLException {
        if (live.isEmpty()) {
            return 0;
        }
        int changed = 0;
        try (PreparedStatement st = c.prepareStatement("""
                UPDATE gateway.api_keys SET revoked_at = COALESCE(revoked_at, ?), key_hash = ?, key_prefix = ?
                WHERE id = ? AND ((revoked_at IS NULL AND ?::timestamptz IS NOT NULL) OR key_hash <> ?)""")) {
            for (Live key : live) {
                st.setTimestamp(1, key.revokedAt());
                st.setBytes(2, key.keyHash());
                st.setString(3, key.keyPrefix());
                st.setObject(4, key.id());
                st.setTimestamp(5, key.revokedAt());
                st.setBytes(6, key.keyHash());
                changed += st.executeUpdate();
            }
        }
        return changed;
    }
}
