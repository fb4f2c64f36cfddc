package ai.sovereign.audit.verify;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.checkpoint.Checkpoint;
import ai.sovereign.audit.checkpoint.CheckpointFiles;
import ai.sovereign.audit.checkpoint.CheckpointStore;
import ai.sovereign.audit.checkpoint.TrustedKeys;
import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.ChainHead;
import ai.sovereign.audit.store.Jdbc;
import ai.sovereign.audit.store.StorageSettings;
import ai.sovereign.audit.store.StoredEvent;
import ai.sovereign.runtime.signing.SigningKey;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Verifies the chains: every event against its hash and its predecessor, every checkpoint against its signature, its
 * predecessor, its file copy and the event at its seq, and each chain's end against the recorded head. The events,
 * heads and checkpoints are read in one repeatable-read snapshot; the checkpoint files are read before it, so every
 * checkpoint in a file (written after its database commit) is in the snapshot.
 */
@Singleton
public final class ChainVerifier {

    private static final int FETCH_SIZE = 2_000;

    private final AuditDatabase database;
    private final CheckpointFiles files;
    private final TrustedKeys keys;
    private final StorageSettings storage;
    private final Clock clock;

    public ChainVerifier(
            AuditDatabase database, CheckpointFiles files, TrustedKeys keys, StorageSettings storage, Clock clock) {
        this.database = database;
        this.files = files;
        this.keys = keys;
        this.storage = storage;
        this.clock = clock;
    }

    /** Verifies the whole trail, or with {@code from}/{@code to} the stretch of each chain with events in that time. */
    public VerifyReport verify(Optional<Instant> from, Optional<Instant> to) throws SQLException, IOException {
        boolean whole = from.isEmpty() && to.isEmpty();
        Map<Integer, CheckpointFiles.Read> fileCopies = new HashMap<>();
        for (int chain : chainsInFiles()) {
            fileCopies.put(chain, files.read(chain));
        }
        List<ChainReport> reports = new ArrayList<>();
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                Map<Integer, ChainHead> heads = new HashMap<>();
                ChainHead.all(connection).forEach(h -> heads.put(h.chain(), h));
                Map<Integer, long[]> ranges = whole ? null : seqRanges(connection, from, to);
                TreeSet<Integer> chains = new TreeSet<>();
                if (whole) {
                    chains.addAll(heads.keySet());
                    chains.addAll(chainsWithEvents(connection));
                    chains.addAll(chainsWithCheckpoints(connection));
                    chains.addAll(fileCopies.keySet());
                } else {
                    chains.addAll(ranges.keySet());
                }
                Map<Integer, List<ChainBreak>> anchorBreaks = new HashMap<>();
                Map<Integer, ChainWalk.Anchor> anchors = retentionAnchors(connection, keys, anchorBreaks);
                for (int chain : chains) {
                    CheckpointFiles.Read copies =
                            fileCopies.getOrDefault(chain, new CheckpointFiles.Read(List.of(), List.of()));
                    reports.add(verifyChain(
                            connection,
                            chain,
                            whole ? heads.get(chain) : null,
                            whole ? anchors.getOrDefault(chain, new ChainWalk.Anchor(0, HashChain.genesis())) : null,
                            whole ? null : ranges.get(chain),
                            copies,
                            anchorBreaks.getOrDefault(chain, List.of())));
                }
            } finally {
                connection.rollback();
            }
        }
        ChainBreak first = reports.stream()
                .map(ChainReport::firstBreak)
                .filter(b -> b != null)
                .findFirst()
                .orElse(null);
        return new VerifyReport(
                first == null ? "OK" : "BROKEN",
                AuditEntry.formatTime(clock.instant()),
                from.map(AuditEntry::formatTime).orElse(null),
                to.map(AuditEntry::formatTime).orElse(null),
                reports.size(),
                reports.stream().mapToLong(ChainReport::eventsChecked).sum(),
                reports.stream().mapToInt(ChainReport::checkpointsChecked).sum(),
                first,
                reports);
    }

    private ChainReport verifyChain(
            Connection connection,
            int chain,
            ChainHead head,
            ChainWalk.Anchor anchor,
            long[] range,
            CheckpointFiles.Read copies,
            List<ChainBreak> anchorBreaks)
            throws SQLException {
        List<String> warnings = new ArrayList<>(copies.problems());
        List<Checkpoint> checkpoints = CheckpointStore.ofChain(connection, chain);
        List<ChainBreak> checkpointBreaks =
                CheckpointAudit.check(chain, checkpoints, copies.checkpoints(), keys, warnings);
        ChainWalk walk = new ChainWalk(chain, anchor, checkpoints);
        walk.report(checkpointBreaks);
        walk.report(anchorBreaks);
        String sql = "SELECT " + StoredEvent.COLUMNS + " FROM events WHERE chain = ?"
                + (range == null ? "" : " AND seq BETWEEN ? AND ?") + " ORDER BY seq";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH_SIZE);
            select.setInt(1, chain);
            if (range != null) {
                select.setLong(2, range[0]);
                select.setLong(3, range[1]);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    walk.accept(StoredEvent.read(rs));
                }
            }
        }
        walk.finish(range == null ? (head != null ? head : new ChainHead(chain, 0, HashChain.genesis())) : null);
        int checkpointsChecked = range == null
                ? checkpoints.size()
                : (int) checkpoints.stream()
                        .filter(c -> c.seq() >= range[0] && c.seq() <= range[1])
                        .count();
        return new ChainReport(
                chain,
                walk.firstBreak() == null ? "OK" : "BROKEN",
                walk.count(),
                walk.firstSeq(),
                walk.lastSeq(),
                checkpointsChecked,
                walk.firstBreak(),
                warnings);
    }

    /** Per chain, the lowest and highest seq of events whose time is in the range. */
    private static Map<Integer, long[]> seqRanges(Connection connection, Optional<Instant> from, Optional<Instant> to)
            throws SQLException {
        Map<Integer, long[]> ranges = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT chain, min(seq), max(seq) FROM events"
                + " WHERE event_time >= coalesce(?, '-infinity'::timestamptz)"
                + " AND event_time < coalesce(?, 'infinity'::timestamptz) GROUP BY chain")) {
            select.setObject(1, from.map(Jdbc::timestamptz).orElse(null), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            select.setObject(2, to.map(Jdbc::timestamptz).orElse(null), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ranges.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return ranges;
    }

    /** The distinct chains of the events table by a loose index scan (one probe per chain, not a full scan). */
    private static List<Integer> chainsWithEvents(Connection connection) throws SQLException {
        List<Integer> chains = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("WITH RECURSIVE c(chain) AS ("
                        + " SELECT min(chain) FROM events"
                        + " UNION ALL SELECT (SELECT min(chain) FROM events e WHERE e.chain > c.chain) FROM c WHERE c.chain IS NOT NULL)"
                        + " SELECT chain FROM c WHERE chain IS NOT NULL");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                chains.add(rs.getInt(1));
            }
        }
        return chains;
    }

    private static List<Integer> chainsWithCheckpoints(Connection connection) throws SQLException {
        List<Integer> chains = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT chain FROM checkpoints");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                chains.add(rs.getInt(1));
            }
        }
        return chains;
    }

    /**
     * The last event each retention drop removed from each chain: where the remaining events continue from. A drop
     * whose anchors are not signed by a trusted checkpoint key (inserted or changed by someone without the key, which
     * never enters the database) is a break of each chain it names, in {@code breaks}.
     */
    private static Map<Integer, ChainWalk.Anchor> retentionAnchors(
            Connection connection, TrustedKeys keys, Map<Integer, List<ChainBreak>> breaks) throws SQLException {
        Map<Integer, ChainWalk.Anchor> anchors = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT chain_anchors::text, partition_name,"
                        + " anchors_key_id, anchors_signature FROM retention_exports WHERE table_name = 'events'"
                        + " ORDER BY id");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                List<ai.sovereign.audit.retention.RetentionAnchors.Anchor> signed = new ArrayList<>();
                for (JsonNode anchor : StoredEvent.JSON.readTree(rs.getString(1))) {
                    int chain = anchor.get("chain").asInt();
                    long seq = anchor.get("seq").asLong();
                    byte[] hash = HexFormat.of().parseHex(anchor.get("hash").asString());
                    signed.add(new ai.sovereign.audit.retention.RetentionAnchors.Anchor(chain, seq, hash));
                    if (!anchors.containsKey(chain) || anchors.get(chain).seq() < seq) {
                        anchors.put(chain, new ChainWalk.Anchor(seq, hash));
                    }
                }
                String partition = rs.getString(2);
                String keyId = rs.getString(3);
                byte[] signature = rs.getBytes(4);
                java.util.Optional<java.security.PublicKey> key =
                        keyId == null ? java.util.Optional.empty() : keys.find(keyId);
                boolean valid = signature != null
                        && key.isPresent()
                        && SigningKey.verify(
                                key.get(),
                                ai.sovereign.audit.retention.RetentionAnchors.payload("events", partition, signed),
                                signature);
                if (!valid) {
                    for (var anchor : signed) {
                        breaks.computeIfAbsent(anchor.chain(), c -> new ArrayList<>())
                                .add(new ChainBreak(
                                        "anchor_signature_invalid",
                                        anchor.chain(),
                                        anchor.seq(),
                                        null,
                                        null,
                                        HashChain.hex(anchor.hash()),
                                        "the retention record of partition " + partition + " says chain "
                                                + anchor.chain() + " continues after seq " + anchor.seq()
                                                + ", but it is not signed by a trusted checkpoint key"
                                                + (signature == null ? " (no signature)" : "")
                                                + ": the record was written or changed outside the audit-service, e.g."
                                                + " to hide events deleted from the start of the chain"));
                    }
                }
            }
        }
        return anchors;
    }

    private List<Integer> chainsInFiles() throws IOException {
        Path dir = storage.dataDir().resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("chain-\\d{1,9}"))
                    .map(n -> Integer.parseInt(n.substring(6)))
                    .sorted()
                    .toList();
        }
    }
}
