package ai.sovereign.audit.retention;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.Partitions;
import ai.sovereign.audit.store.StorageSettings;
import ai.sovereign.audit.store.StoredEvent;
import ai.sovereign.runtime.signing.SigningKey;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the retention policy: finds the monthly partitions whose whole month is older than the policy of their
 * table, exports each to a zstd JSONL archive (SHA-256 recorded), then in one transaction records the export (with,
 * for the events table, the last link of each chain removed, from which verification continues) and drops the
 * partition. Every drop is announced as an audit event. Oldest partitions go first, so a chain only ever loses a prefix.
 */
@Singleton
public final class RetentionService {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final AuditDatabase database;
    private final Partitions partitions;
    private final RetentionSettings settings;
    private final StorageSettings storage;
    private final RetentionNotices notices;
    private final Clock clock;
    private final SigningKey signingKey;

    public RetentionService(
            AuditDatabase database,
            Partitions partitions,
            RetentionSettings settings,
            StorageSettings storage,
            RetentionNotices notices,
            Clock clock,
            SigningKey signingKey) {
        this.signingKey = signingKey;
        this.database = database;
        this.partitions = partitions;
        this.settings = settings;
        this.storage = storage;
        this.notices = notices;
        this.clock = clock;
    }

    /** Plans, and unless {@code dryRun} applies, the removal of every partition past the policy. */
    public synchronized RetentionReport apply(boolean dryRun, String actor) throws SQLException, IOException {
        Instant now = clock.instant();
        Instant eventsCutoff = now.minus(Duration.ofDays(settings.eventsDays()));
        Instant usageCutoff = now.minus(Duration.ofDays(settings.usageDays()));
        List<RetentionReport.Removal> removals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (MonthPartition partition : expired(eventsCutoff, usageCutoff)) {
            if (dryRun) {
                removals.add(new RetentionReport.Removal(
                        partition.table(),
                        partition.name(),
                        AuditEntry.formatTime(partition.from()),
                        AuditEntry.formatTime(partition.to()),
                        rows(partition),
                        null,
                        null,
                        null,
                        false));
                continue;
            }
            RetentionReport.Removal removal = remove(partition, actor);
            removals.add(removal);
            notices.dropped(actor, removal).ifPresent(warnings::add);
        }
        if (!dryRun && !removals.isEmpty()) {
            partitions.forget();
        }
        return new RetentionReport(
                dryRun, AuditEntry.formatTime(eventsCutoff), AuditEntry.formatTime(usageCutoff), removals, warnings);
    }

    /** The partitions whose month ended before their table's cutoff, oldest first. */
    private List<MonthPartition> expired(Instant eventsCutoff, Instant usageCutoff) throws SQLException {
        List<MonthPartition> expired = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("SELECT c.relname FROM pg_inherits i"
                        + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(?)")) {
            for (String table : Partitions.TABLES) {
                Instant cutoff = table.equals("events") ? eventsCutoff : usageCutoff;
                select.setString(1, table);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Optional<MonthPartition> partition = MonthPartition.parse(rs.getString(1));
                        partition.filter(p -> !p.to().isAfter(cutoff)).ifPresent(expired::add);
                    }
                }
            }
        }
        expired.sort(Comparator.comparing(MonthPartition::month).thenComparing(MonthPartition::table));
        return expired;
    }

    private long rows(MonthPartition partition) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + partition.quoted());
                ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private RetentionReport.Removal remove(MonthPartition partition, String actor) throws SQLException, IOException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                // the partition is locked first, so no row can arrive between the export and the drop
                try (PreparedStatement lock = connection.prepareStatement("SELECT lock_month_partition(?, ?)")) {
                    lock.setString(1, partition.table());
                    lock.setObject(2, partition.month().atDay(1));
                    lock.executeQuery().close();
                }
                PartitionArchive.Written archive = PartitionArchive.export(
                        connection,
                        partition,
                        storage.dataDir(),
                        storage.backup().stream().toList());
                List<RetentionAnchors.Anchor> anchorList =
                        partition.table().equals("events") ? anchors(connection, partition) : List.of();
                String anchors = json(anchorList);
                byte[] signature =
                        signingKey.sign(RetentionAnchors.payload(partition.table(), partition.name(), anchorList));
                try (PreparedStatement record = connection.prepareStatement("INSERT INTO retention_exports (table_name,"
                        + " partition_name, range_from, range_to, row_count, file, sha256, bytes, chain_anchors, dropped_by,"
                        + " anchors_key_id, anchors_signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
                    record.setString(1, partition.table());
                    record.setString(2, partition.name());
                    record.setObject(3, ai.sovereign.audit.store.Jdbc.timestamptz(partition.from()));
                    record.setObject(4, ai.sovereign.audit.store.Jdbc.timestamptz(partition.to()));
                    record.setLong(5, archive.rows());
                    record.setString(6, archive.file().toAbsolutePath().toString());
                    record.setString(7, archive.sha256());
                    record.setLong(8, archive.bytes());
                    record.setString(9, anchors);
                    record.setString(10, actor);
                    record.setString(11, signingKey.keyId());
                    record.setBytes(12, signature);
                    record.executeUpdate();
                }
                try (PreparedStatement drop = connection.prepareStatement("SELECT drop_month_partition(?, ?)")) {
                    drop.setString(1, partition.table());
                    drop.setObject(2, partition.month().atDay(1));
                    drop.executeQuery().close();
                }
                connection.commit();
                LOG.info(
                        "retention: exported {} rows of {} to {} (sha256 {}) and dropped the partition",
                        archive.rows(),
                        partition.name(),
                        archive.file(),
                        archive.sha256());
                return new RetentionReport.Removal(
                        partition.table(),
                        partition.name(),
                        AuditEntry.formatTime(partition.from()),
                        AuditEntry.formatTime(partition.to()),
                        archive.rows(),
                        archive.file().toAbsolutePath().toString(),
                        archive.sha256(),
                        archive.bytes(),
                        true);
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The last event of each chain in the partition, as JSON: [{"chain", "seq", "hash"}]. */
    private static List<RetentionAnchors.Anchor> anchors(Connection connection, MonthPartition partition)
            throws SQLException {
        List<RetentionAnchors.Anchor> anchors = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT ON (chain) chain, seq, hash FROM "
                        + partition.quoted() + " ORDER BY chain, seq DESC");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                anchors.add(new RetentionAnchors.Anchor(rs.getInt(1), rs.getLong(2), rs.getBytes(3)));
            }
        }
        return anchors;
    }

    private static String json(List<RetentionAnchors.Anchor> anchors) {
        List<String> items = new ArrayList<>();
        for (RetentionAnchors.Anchor a : anchors) {
            items.add("{\"chain\":" + a.chain() + ",\"seq\":" + a.seq() + ",\"hash\":\"" + HashChain.hex(a.hash())
                    + "\"}");
        }
        return StoredEvent.JSON.writeValueAsString(StoredEvent.JSON.readTree("[" + String.join(",", items) + "]"));
    }
}
