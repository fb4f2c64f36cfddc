package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.audit.chain.CanonicalJson;
import ai.sovereign.audit.chain.HashChain;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The copy of every checkpoint outside the database: one JSON line per checkpoint, appended and forced to disk, in
 * {@code <dir>/checkpoints/chain-<n>/<yyyy-mm-dd>.jsonl} (UTC day of signing), under the data directory and, when
 * configured, the backup directory. A line carries the signing public key too, so a file verifies on its own.
 */
public final class CheckpointFiles {

    private final List<Path> roots;
    private final JsonMapper json;

    /** {@code primary} is read back by verification; {@code copies} only receive writes. */
    public CheckpointFiles(Path primary, List<Path> copies, JsonMapper json) {
        this.json = json;
        List<Path> all = new ArrayList<>();
        all.add(primary.resolve("checkpoints"));
        copies.forEach(c -> all.add(c.resolve("checkpoints")));
        this.roots = List.copyOf(all);
    }

    /** Appends {@code checkpoint} to its day file in every root. */
    public void append(Checkpoint checkpoint, String publicKeyBase64) throws IOException {
        byte[] line = (line(checkpoint, publicKeyBase64) + "\n").getBytes(StandardCharsets.UTF_8);
        String day = LocalDate.ofInstant(checkpoint.time(), ZoneOffset.UTC).toString();
        for (Path root : roots) {
            Path file = root.resolve("chain-" + checkpoint.chain()).resolve(day + ".jsonl");
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        }
    }

    static String line(Checkpoint checkpoint, String publicKeyBase64) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("chain", checkpoint.chain());
        fields.put("seq", checkpoint.seq());
        fields.put("hash", HashChain.hex(checkpoint.hash()));
        fields.put("time", AuditEntry.formatTime(checkpoint.time()));
        fields.put(
                "previousSignature",
                checkpoint.previousSignature() == null
                        ? null
                        : Base64.getEncoder().encodeToString(checkpoint.previousSignature()));
        fields.put("keyId", checkpoint.keyId());
        fields.put("signature", Base64.getEncoder().encodeToString(checkpoint.signature()));
        fields.put("publicKey", publicKeyBase64);
        return CanonicalJson.toString(fields);
    }

    /** Every checkpoint of {@code chain} in the primary root, oldest file first, with unreadable lines reported. */
    public Read read(int chain) throws IOException {
        Path dir = roots.getFirst().resolve("chain-" + chain);
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Read(checkpoints, problems);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                int number = 0;
                while ((text = reader.readLine()) != null) {
                    number++;
                    if (text.isBlank()) {
                        continue;
                    }
                    try {
                        checkpoints.add(parse(json.readTree(text)));
                    } catch (RuntimeException e) {
                        problems.add(
                                file.getFileName() + " line " + number + " is not a checkpoint: " + e.getMessage());
                    }
                }
            }
        }
        return new Read(checkpoints, problems);
    }

    private static Checkpoint parse(JsonNode node) {
        JsonNode previous = node.get("previousSignature");
        return new Checkpoint(
                node.get("chain").asInt(),
                node.get("seq").asLong(),
                HexFormat.of().parseHex(node.get("hash").asString()),
                Instant.parse(node.get("time").asString()),
                previous == null || previous.isNull()
                        ? null
                        : Base64.getDecoder().decode(previous.asString()),
                node.get("keyId").asString(),
                Base64.getDecoder().decode(node.get("signature").asString()));
    }

    /** The checkpoints read from files, and lines that could not be read. */
    public record Read(List<Checkpoint> checkpoints, List<String> problems) {}
}
