package ai.sovereign.ingestion.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' handle on the embedded store: writes, tenant-filtered search, export, loss and re-import. */
class EmbeddedVectorIndexTest {

    @Test
    void aWipedIndexGetsItsVectorsBackFromItsOwnExport() throws Exception {
        Path data = Files.createTempDirectory("embedded-vector-index");
        try (EmbeddedVectorIndex index = EmbeddedVectorIndex.open(data, "test-model", 4)) {
            index.upsert(List.of(
                    new ChunkVector("a-1", "a", "s-1", 0, new float[] {1, 0, 0, 0}),
                    new ChunkVector("a-2", "a", "s-1", 1, new float[] {0, 1, 0, 0}),
                    new ChunkVector("b-1", "b", "s-2", 0, new float[] {1, 0, 0, 0})));
            assertThat(index.search("a", new float[] {0.9f, 0.1f, 0, 0}, 5)).containsExactly("a-1", "a-2");
            assertThat(index.indexDirectory()).isEqualTo(data.toAbsolutePath().resolve("vectors"));

            byte[] exported;
            try (InputStream in = index.export()) {
                exported = in.readAllBytes();
            }
            index.wipe();
            assertThat(index.search("a", new float[] {1, 0, 0, 0}, 5)).isEmpty();

            assertThat(index.replaceAll(new ByteArrayInputStream(exported))).isEqualTo(3);
            assertThat(index.search("a", new float[] {0.9f, 0.1f, 0, 0}, 5)).containsExactly("a-1", "a-2");
            assertThat(index.search("b", new float[] {1, 0, 0, 0}, 5)).containsExactly("b-1");
        }
    }
}
