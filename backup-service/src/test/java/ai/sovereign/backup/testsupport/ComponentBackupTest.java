package ai.sovereign.backup.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' handle on the backup components, on the {@code vectors} component with an in-memory NDJSON store
 * (the stores of the other components need servers; the benchmarks run them on real ones).
 */
class ComponentBackupTest {

    /** An in-memory vector store: its NDJSON lines. */
    static final class MemoryVectors implements VectorEndpoint {
        final List<String> lines = new ArrayList<>();

        @Override
        public InputStream export() {
            return new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public long replaceAll(InputStream ndjson) throws IOException {
            lines.clear();
            new String(ndjson.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .forEach(lines::add);
            return lines.size();
        }

        @Override
        public String describe() {
            return "in-memory test store";
        }
    }

    @Test
    void anEncryptedBackupRestoresTheLostVectorsWithEqualContent() throws Exception {
        MemoryVectors vectors = new MemoryVectors();
        vectors.lines.add(
                "{\"collection\":\"chunks_m\",\"id\":\"1\",\"vector\":[1.0,0.0],\"fields\":{\"tenant\":\"a\"}}");
        vectors.lines.add(
                "{\"collection\":\"chunks_m\",\"id\":\"2\",\"vector\":[0.0,1.0],\"fields\":{\"tenant\":\"b\"}}");
        List<String> before = List.copyOf(vectors.lines);
        ComponentBackup run = ComponentBackup.intoFolder(
                        Files.createTempDirectory("component-backup"), 3, Optional.of(BackupKey.of(new byte[32])))
                .withVectors(vectors);

        assertEquals(List.of("vectors"), run.components());
        BackupTiming backup = run.backup("vectors");
        assertEquals(Map.of("vectors", 2L), backup.counts());
        assertTrue(run.storedBytes() > 0);

        vectors.lines.clear();
        RestoreTiming restore = run.restoreIntoOriginal("vectors");
        assertTrue(restore.contentEqual(), restore.differences().toString());
        assertEquals(before, vectors.lines);
    }

    @Test
    void aComponentMustBeAddedAndBackedUpBeforeItIsRestored() throws Exception {
        ComponentBackup run = ComponentBackup.intoFolder(
                        Files.createTempDirectory("component-backup"), 3, Optional.empty())
                .withVectors(new MemoryVectors());
        assertThrows(IllegalArgumentException.class, () -> run.backup("neo4j"));
        assertThrows(IllegalStateException.class, () -> run.restoreIntoOriginal("vectors"));
    }
}
