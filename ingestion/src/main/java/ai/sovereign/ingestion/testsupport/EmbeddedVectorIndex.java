package ai.sovereign.ingestion.testsupport;

import ai.sovereign.ingestion.DataDirectory;
import ai.sovereign.ingestion.DataDirectorySettings;
import ai.sovereign.ingestion.vector.VectorHit;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import ai.sovereign.ingestion.vector.embedded.LuceneVectorStore;
import ai.sovereign.ingestion.vector.transfer.VectorTransfer;
import ai.sovereign.runtime.json.JsonMapperFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * For benchmarks and tests, not for the service: the service's embedded vector store ({@code LuceneVectorStore}, HNSW
 * on local disk) opened without the service, with the export and import the backup-service calls
 * ({@code VectorTransfer}, behind {@code GET /api/v1/admin/vectors/export} and
 * {@code POST /api/v1/admin/vectors/import?mode=replace}) in-process. Exposes writes, tenant-filtered searches, the
 * NDJSON export/import and the index folder; vectors go in as {@link ChunkVector}s.
 */
public final class EmbeddedVectorIndex implements AutoCloseable {

    private final Path indexDirectory;
    private final DataDirectory dataDirectory;
    private final String collection;
    private final int dimensions;
    private LuceneVectorStore store;
    private VectorTransfer transfer;

    private EmbeddedVectorIndex(Path dataDirectory, String model, int dimensions) {
        this.dataDirectory = new DataDirectory(new DataDirectorySettings(dataDirectory.toString()));
        this.indexDirectory = this.dataDirectory.path().resolve("vectors");
        this.collection = VectorStore.collectionFor(model);
        this.dimensions = dimensions;
        open();
    }

    /**
     * Opens (or creates) the index of {@code model}'s vectors of {@code dimensions} in {@code <dataDirectory>/vectors};
     * imports are spooled under {@code <dataDirectory>/tmp}, as under the service's {@code ingestion.data-dir}.
     */
    public static EmbeddedVectorIndex open(Path dataDirectory, String model, int dimensions) {
        return new EmbeddedVectorIndex(dataDirectory, model, dimensions);
    }

    private void open() {
        store = new LuceneVectorStore(indexDirectory, collection, dimensions);
        // outside any application context: a mapper with the platform's settings, as the service injects
        transfer = new VectorTransfer(store, dataDirectory, JsonMapperFactory.platformMapper());
    }

    /** Where the Lucene index lives (to measure its size on disk). */
    public Path indexDirectory() {
        return indexDirectory;
    }

    /** Inserts or replaces the vectors (by chunk id) in one commit; searchable when it returns. */
    public void upsert(List<ChunkVector> vectors) {
        List<VectorRecord> records = new ArrayList<>(vectors.size());
        for (ChunkVector v : vectors) {
            records.add(new VectorRecord(v.chunkId(), v.tenant(), v.sourceId(), v.position(), v.vector()));
        }
        store.upsert(records);
    }

    /** Chunk ids of the {@code k} chunks of {@code tenant} nearest to {@code query}, best first, from every source. */
    public List<String> search(String tenant, float[] query, int k) {
        return store.search(tenant, query, k, List.of()).stream()
                .map(VectorHit::chunkId)
                .toList();
    }

    /** Every vector as the service's export NDJSON, read lazily; the caller closes it. */
    public InputStream export() {
        return transfer.export();
    }

    /** Replaces the whole content with the NDJSON lines, validated first as the import endpoint does; returns the count. */
    public long replaceAll(InputStream ndjson) {
        return transfer.replaceAll(ndjson);
    }

    /** Closes the index, deletes its folder and opens an empty one there: the loss a restore has to repair. */
    public void wipe() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(indexDirectory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        open();
    }

    @Override
    public void close() {
        store.close();
    }
}
