package ai.sovereign.audit.ingest;

import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.CopyText;
import ai.sovereign.audit.store.Partitions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Writes one polled batch in one database transaction: skips offsets the database already has, skips event ids
 * already ingested, appends the new audit events to their partition's chain, adds usage records to the ledger, stores
 * dead letters, and advances the chain heads and the stored Kafka positions, all or nothing. Rows go in with
 * {@code COPY}. If PostgreSQL refuses a value the classifier let through, the batch is redone record by record under
 * savepoints and the refused records become dead letters, so one bad record never blocks the stream.
 */
public final class BatchWriter {

    private static final String COPY_EVENTS =
            "COPY events (id, chain, seq, kafka_offset, received_at, event_time, type,"
                    + " source, subject, datacontenttype, actor, actor_type, tenant, action, resource_type, resource_id, outcome,"
                    + " reason, request_id, client_address, details, prev_hash, hash) FROM STDIN";
    private static final String COPY_USAGE = "COPY usage_records (id, kafka_partition, kafka_offset, received_at,"
            + " event_time, source, request_id, key_id, tenant, model, server_id, endpoint, stream, prompt_tokens,"
            + " completion_tokens, time_to_first_token_ms, duration_ms, status, http_status, error_type, started_at)"
            + " FROM STDIN";

    private final AuditDatabase database;
    private final Partitions partitions;
    private final Clock clock;

    public BatchWriter(AuditDatabase database, Partitions partitions, Clock clock) {
        this.database = database;
        this.partitions = partitions;
        this.clock = clock;
    }

    /** Commits {@code batch} (records of any partitions, each partition's records in offset order). */
    public BatchOutcome write(List<Classified> batch) throws SQLException {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        partitions.ensureFor(receivedAt);
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                BatchOutcome outcome = writeInTransaction(connection, batch, receivedAt, false);
                connection.commit();
                return outcome;
            } catch (SQLException e) {
                connection.rollback();
                if (!refusedValue(e)) {
                    throw e;
                }
            }
            BatchOutcome outcome = writeInTransaction(connection, batch, receivedAt, true);
            connection.commit();
            return outcome;
        }
    }

    private BatchOutcome writeInTransaction(
            Connection connection, List<Classified> batch, Instant receivedAt, boolean oneByOne) throws SQLException {
        Map<Integer, Head> heads = lockChainHeads(connection, batch);
        Map<String, Long> positions = storedPositions(connection, batch);
        Map<String, Long> nextOffsets = new TreeMap<>(); // sorted: concurrent writers lock rows in one order
        List<Classified> fresh = new ArrayList<>();
        List<Classified.Rejected> rejected = new ArrayList<>();
        Set<UUID> idsInBatch = new HashSet<>();
        int alreadyIngested = 0;
        int duplicates = 0;
        for (Classified item : batch) {
            KafkaRecord record = item.record();
            String position = record.topic() + "/" + record.partition();
            nextOffsets.merge(position, record.offset() + 1, Math::max);
            if (record.offset() < positions.getOrDefault(position, 0L)) {
                alreadyIngested++;
            } else if (item instanceof Classified.Rejected r) {
                rejected.add(r);
            } else if (!idsInBatch.add(idOf(item))) {
                duplicates++;
            } else {
                fresh.add(item);
            }
        }
        Rows rows;
        if (oneByOne) {
            rows = new Rows(0, 0, 0, null);
            for (Classified item : fresh) {
                Savepoint savepoint = connection.setSavepoint();
                Map<Integer, Head> before = new HashMap<>(heads);
                try {
                    rows = rows.plus(appendRows(connection, List.of(item), heads, receivedAt));
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    if (!refusedValue(e)) {
                        throw e;
                    }
                    connection.rollback(savepoint);
                    heads.clear();
                    heads.putAll(before);
                    rejected.add(
                            new Classified.Rejected(item.record(), "PostgreSQL refused the record: " + e.getMessage()));
                }
            }
        } else {
            rows = appendRows(connection, fresh, heads, receivedAt);
        }
        int deadLetters = DeadLetters.insert(connection, rejected);
        updateChainHeads(connection, heads);
        storePositions(connection, nextOffsets);
        return new BatchOutcome(
                rows.audit(),
                rows.usage(),
                deadLetters,
                duplicates + rows.duplicates(),
                alreadyIngested,
                rows.latestEventTime(),
                rejected.stream().map(Classified.Rejected::reason).toList());
    }

    /** Inserts the ids (dropping ones already ingested), chains the audit events and copies both kinds of rows. */
    private Rows appendRows(Connection connection, List<Classified> items, Map<Integer, Head> heads, Instant receivedAt)
            throws SQLException {
        if (items.isEmpty()) {
            return new Rows(0, 0, 0, null);
        }
        Set<UUID> newIds = claimIds(connection, items);
        CopyText events = new CopyText();
        CopyText usage = new CopyText();
        Instant latest = null;
        for (Classified item : items) {
            if (!newIds.contains(idOf(item))) {
                continue;
            }
            switch (item) {
                case Classified.Audit audit -> {
                    int chain = audit.record().partition();
                    Head head = heads.get(chain);
                    byte[] hash = HashChain.link(head.hash(), audit.canonical());
                    EventRows.append(events, audit, chain, head.seq() + 1, receivedAt, head.hash(), hash);
                    heads.put(chain, new Head(head.seq() + 1, hash));
                    Instant time = audit.entry().time();
                    latest = latest == null || time.isAfter(latest) ? time : latest;
                }
                case Classified.Usage u -> UsageRows.append(usage, u, receivedAt);
                case Classified.Rejected r -> throw new IllegalStateException("rejected record among rows: " + r);
            }
        }
        copy(connection, COPY_EVENTS, events);
        copy(connection, COPY_USAGE, usage);
        return new Rows(events.rows(), usage.rows(), items.size() - newIds.size(), latest);
    }

    private static Set<UUID> claimIds(Connection connection, List<Classified> items) throws SQLException {
        UUID[] ids = items.stream().map(BatchWriter::idOf).toArray(UUID[]::new);
        Set<UUID> claimed = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO ingested_ids (id) SELECT unnest(?::uuid[]) ON CONFLICT DO NOTHING RETURNING id")) {
            Array array = connection.createArrayOf("uuid", ids);
            insert.setArray(1, array);
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class));
                }
            }
            array.free();
        }
        return claimed;
    }

    private static void copy(Connection connection, String sql, CopyText rows) throws SQLException {
        if (rows.rows() == 0) {
            return;
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(rows.toBytes()));
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), "08000", e);
        }
    }

    /** Locks the chains of this batch's audit partitions, creating heads at genesis for chains never seen. */
    private static Map<Integer, Head> lockChainHeads(Connection connection, List<Classified> batch)
            throws SQLException {
        Integer[] chains = batch.stream()
                .filter(c -> c instanceof Classified.Audit)
                .map(c -> c.record().partition())
                .distinct()
                .sorted()
                .toArray(Integer[]::new);
        Map<Integer, Head> heads = new TreeMap<>();
        if (chains.length == 0) {
            return heads;
        }
        Array array = connection.createArrayOf("integer", chains);
        try (PreparedStatement create = connection.prepareStatement(
                        "INSERT INTO chain_heads (chain, last_seq, last_hash) SELECT unnest(?::integer[]), 0, ?"
                                + " ON CONFLICT (chain) DO NOTHING");
                PreparedStatement lock = connection.prepareStatement(
                        "SELECT chain, last_seq, last_hash FROM chain_heads WHERE chain = ANY(?) ORDER BY chain FOR UPDATE")) {
            create.setArray(1, array);
            create.setBytes(2, HashChain.genesis());
            create.executeUpdate();
            lock.setArray(1, array);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getInt(1), new Head(rs.getLong(2), rs.getBytes(3)));
                }
            }
        }
        array.free();
        return heads;
    }

    /** Positions are read after the chain locks are held, so a second writer of the same partitions sees ours. */
    private static Map<String, Long> storedPositions(Connection connection, List<Classified> batch)
            throws SQLException {
        String[] topics = batch.stream().map(c -> c.record().topic()).distinct().toArray(String[]::new);
        Map<String, Long> positions = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT topic, partition, next_offset FROM consumer_positions WHERE topic = ANY(?)")) {
            select.setArray(1, connection.createArrayOf("text", topics));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getString(1) + "/" + rs.getInt(2), rs.getLong(3));
                }
            }
        }
        return positions;
    }

    private static void updateChainHeads(Connection connection, Map<Integer, Head> heads) throws SQLException {
        if (heads.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE chain_heads SET last_seq = ?, last_hash = ?, updated_at = now() WHERE chain = ? AND last_seq <> ?")) {
            for (Map.Entry<Integer, Head> head : heads.entrySet()) {
                update.setLong(1, head.getValue().seq());
                update.setBytes(2, head.getValue().hash());
                update.setInt(3, head.getKey());
                update.setLong(4, head.getValue().seq());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** The last statement of the transaction: the next offset to read per partition. */
    private static void storePositions(Connection connection, Map<String, Long> nextOffsets) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO consumer_positions (topic, partition, next_offset) VALUES (?, ?, ?)"
                        + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_positions.next_offset,"
                        + " EXCLUDED.next_offset), updated_at = now()")) {
            for (Map.Entry<String, Long> position : nextOffsets.entrySet()) {
                int slash = position.getKey().lastIndexOf('/');
                upsert.setString(1, position.getKey().substring(0, slash));
                upsert.setInt(2, Integer.parseInt(position.getKey().substring(slash + 1)));
                upsert.setLong(3, position.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static UUID idOf(Classified item) {
        return switch (item) {
            case Classified.Audit audit -> audit.entry().id();
            case Classified.Usage usage -> usage.id();
            case Classified.Rejected r -> throw new IllegalArgumentException("a rejected record has no usable id");
        };
    }

    /**
     * Whether PostgreSQL refused a value rather than failed: data exceptions (class 22), integrity violations (23)
     * and program limits such as an index entry too large (54). Anything else (connection lost, shutdown) is retried.
     */
    static boolean refusedValue(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("22") || state.startsWith("23") || state.startsWith("54")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The last link of a chain. */
    record Head(long seq, byte[] hash) {}

    private record Rows(int audit, int usage, int duplicates, Instant latestEventTime) {
        Rows plus(Rows other) {
            Instant latest = latestEventTime == null
                    ? other.latestEventTime
                    : other.latestEventTime == null || latestEventTime.isAfter(other.latestEventTime)
                            ? latestEventTime
                            : other.latestEventTime;
            return new Rows(audit + other.audit, usage + other.usage, duplicates + other.duplicates, latest);
        }
    }
}
