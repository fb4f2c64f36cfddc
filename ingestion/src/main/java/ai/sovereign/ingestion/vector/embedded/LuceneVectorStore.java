package ai.sovereign.ingestion.vector.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import ai.sovereign.ingestion.vector.VectorHit;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded vector store: one Lucene index on local disk with an HNSW graph per segment
 * ({@link KnnFloatVectorField}, cosine), the tenant as an indexed term that pre-filters every search, the chunk id as
 * the update key. Writes are committed (durable) and refreshed (searchable) before {@link #upsert} returns.
 */
public final class LuceneVectorStore implements VectorStore {

    private static final String CHUNK_ID = "chunk_id";
    private static final String TENANT = "tenant";
    private static final String SOURCE_ID = "source_id";
    private static final String POSITION = "position";
    private static final String VECTOR = "vector";

    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    public LuceneVectorStore(Path indexDirectory) {
        try {
            Files.createDirectories(indexDirectory);
            this.directory = FSDirectory.open(indexDirectory);
            IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            this.writer = new IndexWriter(directory, config);
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the vector index at " + indexDirectory, e);
        }
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        try {
            for (VectorRecord record : records) {
                Document doc = new Document();
                doc.add(new StringField(CHUNK_ID, record.chunkId(), Field.Store.YES));
                doc.add(new StringField(TENANT, record.tenant(), Field.Store.NO));
                doc.add(new StringField(SOURCE_ID, record.sourceId(), Field.Store.YES));
                doc.add(new StoredField(POSITION, record.position()));
                doc.add(new KnnFloatVectorField(VECTOR, record.vector(), VectorSimilarityFunction.COSINE));
                writer.updateDocument(new Term(CHUNK_ID, record.chunkId()), doc);
            }
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write vectors", e);
        }
    }

    @Override
    public List<VectorHit> search(String tenant, float[] query, int k, Collection<String> sourceIds) {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER);
        if (!sourceIds.isEmpty()) {
            filter.add(new TermInSetQuery(SOURCE_ID, sourceIds.stream().map(BytesRef::new).toList()), BooleanClause.Occur.FILTER);
        }
        Query knn = new KnnFloatVectorQuery(VECTOR, query, k, filter.build());
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(knn, k);
                List<VectorHit> hits = new ArrayList<>(top.scoreDocs.length);
                var storedFields = searcher.storedFields();
                for (ScoreDoc scoreDoc : top.scoreDocs) {
                    Document doc = storedFields.document(scoreDoc.doc);
                    // Lucene scores cosine as (1 + cos) / 2; report the cosine itself
                    hits.add(new VectorHit(doc.get(CHUNK_ID), doc.get(SOURCE_ID),
                            doc.getField(POSITION).numericValue().intValue(), 2.0 * scoreDoc.score - 1.0));
                }
                return hits;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("vector search failed", e);
        }
    }

    @Override
    public void deleteSource(String tenant, String sourceId) {
        try {
            writer.deleteDocuments(new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(SOURCE_ID, sourceId)), BooleanClause.Occur.FILTER).build());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete vectors of source " + sourceId, e);
        }
    }

    @Override
    public long count(String tenant, String sourceId) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(SOURCE_ID, sourceId)), BooleanClause.Occur.FILTER).build());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not count vectors", e);
        }
    }

    @Override
    public boolean healthy() {
        return writer.isOpen();
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the vector index", e);
        }
    }
}
