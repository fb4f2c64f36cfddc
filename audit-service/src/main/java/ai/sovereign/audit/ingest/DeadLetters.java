package ai.sovereign.audit.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Stores rejected records with their raw key and value bytes and the reason; a redelivered record is stored once. */
final class DeadLetters {

    private DeadLetters() {}

    /** Inserts the rejected records and returns how many were new. */
    static int insert(Connection connection, List<Classified.Rejected> rejected) throws SQLException {
        if (rejected.isEmpty()) {
            return 0;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO dead_letters (topic, partition, record_offset, record_key, raw, reason) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (topic, partition, record_offset) DO NOTHING")) {
            for (Classified.Rejected r : rejected) {
                insert.setString(1, r.record().topic());
                insert.setInt(2, r.record().partition());
                insert.setLong(3, r.record().offset());
                insert.setBytes(4, r.record().key());
                insert.setBytes(5, r.record().value());
                insert.setString(6, storable(r.reason()));
                insert.addBatch();
            }
            int inserted = 0;
            for (int count : insert.executeBatch()) {
                inserted += Math.max(count, 0);
            }
            return inserted;
        }
    }

    /**
     * The reason as PostgreSQL text: codec messages may quote the offending input, which can hold NUL or unpaired
     * surrogates; those become U+FFFD, and very long reasons are cut.
     */
    static String storable(String reason) {
        StringBuilder out = new StringBuilder(Math.min(reason.length(), 4096));
        for (int i = 0; i < reason.length() && out.length() < 4000; i++) {
            char c = reason.charAt(i);
            if (c == 0) {
                out.append('\uFFFD');
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < reason.length()
                    && Character.isLowSurrogate(reason.charAt(i + 1))) {
                out.append(c).append(reason.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.length() < reason.length() ? out.append('…').toString() : out.toString();
    }
}
