package ai.sovereign.ingestion.vector;

import java.util.Collection;
import java.util.List;

/**
 * Where chunk vectors live. Adapters: {@code embedded/} (Lucene HNSW on local disk, the default) and {@code milvus/}.
 * Every call is scoped to one tenant; writes are upserts by chunk id, so repeating one changes nothing.
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

    /** Adapter name and whether it answers, for {@code /health}. */
    boolean healthy();

    @Override
    void close();
}
