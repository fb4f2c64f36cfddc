package ai.sovereign.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The last link of a chain as the writer recorded it in {@code chain_heads}. */
public record ChainHead(int chain, long seq, byte[] hash) {

    /** Every chain with at least one event, by chain number. */
    public static List<ChainHead> all(Connection connection) throws SQLException {
        List<ChainHead> heads = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                        "SELECT chain, last_seq, last_hash FROM chain_heads WHERE last_seq > 0 ORDER BY chain");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                heads.add(new ChainHead(rs.getInt(1), rs.getLong(2), rs.getBytes(3)));
            }
        }
        return heads;
    }
}
