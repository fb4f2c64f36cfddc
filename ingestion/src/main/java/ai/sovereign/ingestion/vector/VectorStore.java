package ai.sovereign.ingestion.vector;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where chunk vectors live. Adapters: {@code embedded/} (Lucene HNSW on local disk, the default) and {@code milvus/}.
 * Every call is scoped to one tenant; writes are upserts by chunk id, so repeating one changes nothing.
 * {@link #exportAll()} and {@link #replaceAll(Iterator)} cover every tenant: they exist for backup and restore.
 */
public interface VectorStore extends AutoCloseable {

    /** Inserts or replaces the records (by chunk id) and makes them searchable before returning. */
    void upsert(List<VectorRecord> records);

    /**
     * The {@code k} chunks of {@code tenant} nearest to {@code query} by cosine similarity, best first, optionally only
     * from {@code sourceIds} (empty: all sources).
     */
    List<VectorHit> search(String tenant, float[] query, int k, Collection<String> sourceIds);

    /** Removes every vector of the source; no-op when there is none. */
    void deleteSource(String tenant, String sourceId);

    /** Vectors stored for a source (tests, operators). */
    long count(String tenant, String sourceId);

    /** The collection these vectors belong to ({@code chunks_<embedding model>}): vectors of another one do not fit. */
    String collection();

    /** Dimensions of every vector in {@link #collection()}. */
    int dimensions();

    /**
     * Every vector of every tenant, in no particular order, read lazily; close the stream to release what it holds.
     * Writes that land while it is read may or may not be in it.
     */
    Stream<VectorRecord> exportAll();

    /**
     * Replaces the whole content (every tenant) with {@code records}: searches see the old content until the new one
     * is complete. Returns the number of vectors written. The records must already be valid for this collection.
     */
    long replaceAll(Iterator<VectorRecord> records);

    /** Adapter name and whether it answers, for {@code /health}. */
    boolean healthy();

    @Override
    void close();

    /** Collection name for an embedding model, the same for every adapter. */
    static String collectionFor(String model) {
        return "chunks_" + model.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
