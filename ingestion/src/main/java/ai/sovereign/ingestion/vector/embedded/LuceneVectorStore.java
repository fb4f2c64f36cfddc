package ai.sovereign.ingestion.vector.embedded;

import ai.sovereign.ingestion.vector.VectorHit;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded vector store: one Lucene index on local disk with an HNSW graph per segment
 * ({@link KnnFloatVectorField}, cosine), the tenant as an indexed term that pre-filters every search, the chunk id as
 * the update key. Writes are committed (durable) and refreshed (searchable) before {@link #upsert} returns.
 * {@link #replaceAll} deletes and adds inside one uncommitted generation and shows it to searches only when complete;
 * ordinary writes wait meanwhile (they would otherwise commit half of it).
 */
public final class LuceneVectorStore implements VectorStore {

    private static final String CHUNK_ID = "chunk_id";
    private static final String TENANT = "tenant";
    private static final String SOURCE_ID = "source_id";
    private static final String POSITION = "position";
    private static final String VECTOR = "vector";

    private final FSDirectory directory;
    private final String collection;
    private final int dimensions;
    /** Ordinary writes share it; {@link #replaceAll} holds it alone. */
    private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock();

    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;

    public LuceneVectorStore(Path indexDirectory, String collection, int dimensions) {
        this.collection = collection;
        this.dimensions = dimensions;
        try {
            Files.createDirectories(indexDirectory);
            this.directory = FSDirectory.open(indexDirectory);
            openWriter();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the vector index at " + indexDirectory, e);
        }
    }

    private void openWriter() throws IOException {
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64);
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, null);
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        writes.readLock().lock();
        try {
            for (VectorRecord record : records) {
                writer.updateDocument(new Term(CHUNK_ID, record.chunkId()), document(record));
            }
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write vectors", e);
        } finally {
            writes.readLock().unlock();
        }
    }

    private static Document document(VectorRecord record) {
        Document doc = new Document();
        doc.add(new StringField(CHUNK_ID, record.chunkId(), Field.Store.YES));
        doc.add(new StringField(TENANT, record.tenant(), Field.Store.NO));
        doc.add(new StringField(SOURCE_ID, record.sourceId(), Field.Store.YES));
        doc.add(new StoredField(POSITION, record.position()));
        doc.add(new KnnFloatVectorField(VECTOR, record.vector(), VectorSimilarityFunction.COSINE));
        return doc;
    }

    @Override
    public String collection() {
        return collection;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public long replaceAll(Iterator<VectorRecord> records) {
        writes.writeLock().lock();
        try {
            long written = 0;
            try {
                writer.deleteAll();
                while (records.hasNext()) {
                    VectorRecord record = records.next();
                    writer.updateDocument(new Term(CHUNK_ID, record.chunkId()), document(record));
                    written++;
                }
                writer.commit();
            } catch (IOException | RuntimeException e) {
                // back to the last commit: the old content, as if nothing happened
                searchers.close();
                writer.rollback();
                openWriter();
                throw e instanceof IOException io
                        ? new UncheckedIOException("could not replace the vectors", io)
                        : (RuntimeException) e;
            }
            searchers.maybeRefreshBlocking();
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("could not replace the vectors", e);
        } finally {
            writes.writeLock().unlock();
        }
    }

    @Override
    public Stream<VectorRecord> exportAll() {
        SearcherManager manager = searchers;
        IndexSearcher searcher;
        try {
            searcher = manager.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the vector index for export", e);
        }
        Iterator<VectorRecord> iterator =
                new ExportIterator(searcher.getIndexReader().leaves());
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        manager.release(searcher);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Walks the live documents of one point-in-time reader, segment by segment. */
    private static final class ExportIterator implements Iterator<VectorRecord> {

        private final Iterator<LeafReaderContext> leaves;
        private LeafReader leaf;
        private String[] tenants;
        private StoredFields stored;
        private Bits live;
        private FloatVectorValues values;
        private KnnVectorValues.DocIndexIterator docs;
        private VectorRecord next;

        ExportIterator(List<LeafReaderContext> leaves) {
            this.leaves = leaves.iterator();
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null) {
                    if (docs == null) {
                        if (!leaves.hasNext()) {
                            return false;
                        }
                        openLeaf(leaves.next().reader());
                        continue;
                    }
                    int doc = docs.nextDoc();
                    if (doc == DocIdSetIterator.NO_MORE_DOCS) {
                        docs = null;
                        continue;
                    }
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document fields = stored.document(doc, Set.of(CHUNK_ID, SOURCE_ID, POSITION));
                    next = new VectorRecord(
                            fields.get(CHUNK_ID),
                            tenants[doc],
                            fields.get(SOURCE_ID),
                            fields.getField(POSITION).numericValue().intValue(),
                            values.vectorValue(docs.index()).clone());
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the vector index", e);
            }
        }

        /** The tenant is indexed, not stored: it is read back from the postings of each tenant term. */
        private void openLeaf(LeafReader reader) throws IOException {
            leaf = reader;
            values = leaf.getFloatVectorValues(VECTOR);
            if (values == null) {
                docs = null;
                return;
            }
            tenants = new String[leaf.maxDoc()];
            Terms terms = leaf.terms(TENANT);
            if (terms != null) {
                TermsEnum termsEnum = terms.iterator();
                PostingsEnum postings = null;
                for (BytesRef term = termsEnum.next(); term != null; term = termsEnum.next()) {
                    String tenant = term.utf8ToString();
                    postings = termsEnum.postings(postings, PostingsEnum.NONE);
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        tenants[doc] = tenant;
                    }
                }
            }
            stored = leaf.storedFields();
            live = leaf.getLiveDocs();
            docs = values.iterator();
        }

        @Override
        public VectorRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            VectorRecord current = next;
            next = null;
            return current;
        }
    }

    @Override
    public List<VectorHit> search(String tenant, float[] query, int k, Collection<String> sourceIds) {
        BooleanQuery.Builder filter =
                new BooleanQuery.Builder().add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER);
        if (!sourceIds.isEmpty()) {
            filter.add(
                    new TermInSetQuery(
                            SOURCE_ID, sourceIds.stream().map(BytesRef::new).toList()),
                    BooleanClause.Occur.FILTER);
        }
        Query knn = new KnnFloatVectorQuery(VECTOR, query, k, filter.build());
        try {
            SearcherManager manager = searchers;
            IndexSearcher searcher = manager.acquire();
            try {
                TopDocs top = searcher.search(knn, k);
                List<VectorHit> hits = new ArrayList<>(top.scoreDocs.length);
                var storedFields = searcher.storedFields();
                for (ScoreDoc scoreDoc : top.scoreDocs) {
                    Document doc = storedFields.document(scoreDoc.doc);
                    // Lucene scores cosine as (1 + cos) / 2; report the cosine itself
                    hits.add(new VectorHit(
                            doc.get(CHUNK_ID),
                            doc.get(SOURCE_ID),
                            doc.getField(POSITION).numericValue().intValue(),
                            2.0 * scoreDoc.score - 1.0));
                }
                return hits;
            } finally {
                manager.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("vector search failed", e);
        }
    }

    @Override
    public void deleteSource(String tenant, String sourceId) {
        writes.readLock().lock();
        try {
            writer.deleteDocuments(new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(SOURCE_ID, sourceId)), BooleanClause.Occur.FILTER)
                    .build());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete vectors of source " + sourceId, e);
        } finally {
            writes.readLock().unlock();
        }
    }

    @Override
    public long count(String tenant, String sourceId) {
        try {
            SearcherManager manager = searchers;
            IndexSearcher searcher = manager.acquire();
            try {
                return searcher.count(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(SOURCE_ID, sourceId)), BooleanClause.Occur.FILTER)
                        .build());
            } finally {
                manager.release(searcher);
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
