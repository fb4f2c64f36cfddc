package ai.sovereign.audit.store;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.runtime.json.JsonMapperFactory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A row of the {@code events} table: the entry as hashed, where it sits in its chain, and its links. */
public record StoredEvent(
        AuditEntry entry, int chain, long seq, long kafkaOffset, Instant receivedAt, byte[] prevHash, byte[] hash) {

    /** The columns {@link #read(ResultSet)} expects, in order. */
    public static final String COLUMNS = "id, chain, seq, kafka_offset, received_at, event_time, type, source, subject,"
            + " datacontenttype, actor, actor_type, tenant, action, resource_type, resource_id, outcome, reason,"
            + " request_id, client_address, details::text, prev_hash, hash";

    /**
     * The platform's mapper settings plus: reads {@code details} with decimals kept exact ({@code jsonb} stores numbers
     * as decimals), so that the canonical JSON at verification equals the one hashed at ingest; writes decimals
     * plainly, never in exponent form. Static, not injected: {@link #read(ResultSet)} is a static factory called
     * wherever rows are read, and the export and archive views must write with exactly these settings.
     */
    public static final JsonMapper JSON = JsonMapperFactory.platformMapper()
            .rebuild()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    @SuppressWarnings("unchecked")
    public static StoredEvent read(ResultSet rs) throws SQLException {
        Map<String, Object> details = JSON.readValue(rs.getString(21), Map.class);
        AuditEntry entry = new AuditEntry(
                rs.getObject(1, UUID.class),
                Jdbc.instant(rs, 6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                rs.getString(16),
                rs.getString(17),
                rs.getString(18),
                rs.getString(19),
                rs.getString(20),
                details);
        return new StoredEvent(
                entry,
                rs.getInt(2),
                rs.getLong(3),
                rs.getLong(4),
                Jdbc.instant(rs, 5),
                rs.getBytes(22),
                rs.getBytes(23));
    }
}
