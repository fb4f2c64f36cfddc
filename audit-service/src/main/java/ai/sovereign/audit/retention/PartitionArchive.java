package ai.sovereign.audit.retention;

import ai.sovereign.audit.chain.HashChain;
import ai.sovereign.audit.query.EventView;
import ai.sovereign.audit.store.StoredEvent;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Exports one partition to {@code <dir>/retention/<partition>.jsonl.zst}: JSON lines (events as the export API shows
 * them, in chain and seq order; usage records as their rows), zstd-compressed, written to a temporary file, forced to
 * disk and renamed, with the SHA-256 of the compressed file. Rows are read from a cursor, never all at once.
 */
final class PartitionArchive {

    private static final int FETCH_SIZE = 2_000;

    private PartitionArchive() {}

    /** The archive written: where, how big, its SHA-256 (hex) and the number of lines. */
    record Written(Path file, long bytes, String sha256, long rows) {}

    static Written export(Connection connection, MonthPartition partition, Path dataDir, List<Path> copies)
            throws SQLException, IOException {
        Path dir = dataDir.resolve("retention");
        Files.createDirectories(dir);
        Path file = dir.resolve(partition.name() + ".jsonl.zst");
        Path tmp = dir.resolve(partition.name() + ".jsonl.zst.tmp");
        MessageDigest sha256 = HashChain.sha256();
        long rows = 0;
        String sql = partition.table().equals("events")
                ? "SELECT " + StoredEvent.COLUMNS + " FROM " + partition.quoted() + " ORDER BY chain, seq"
                : "SELECT row_to_json(u)::text FROM " + partition.quoted()
                        + " u ORDER BY kafka_partition, kafka_offset";
        try (OutputStream fileOut = Files.newOutputStream(tmp);
                DigestOutputStream digest = new DigestOutputStream(fileOut, sha256);
                OutputStream out = new BufferedOutputStream(new ZstdOutputStream(digest, 6), 64 * 1024);
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String line =
                            partition.table().equals("events") ? EventView.json(StoredEvent.read(rs)) : rs.getString(1);
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                    rows++;
                }
            }
        }
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (Path copy : copies) {
            Path target = copy.resolve("retention").resolve(file.getFileName());
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Written(file, Files.size(file), HashChain.hex(sha256.digest()), rows);
    }
}
