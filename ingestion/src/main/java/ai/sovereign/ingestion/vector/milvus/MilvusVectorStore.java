package ai.sovereign.ingestion.vector.milvus;

import ai.sovereign.ingestion.vector.VectorHit;
import ai.sovereign.ingestion.vector.VectorRecord;
import ai.sovereign.ingestion.vector.VectorStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Vectors in Milvus (production): one collection per embedding model, chunk id as primary key, tenant as partition
 * key, HNSW index with COSINE metric, strong consistency so a write is searchable when {@link #upsert} returns.
 * Not exercised by this module's tests (no Milvus on the build machines). {@link #replaceAll} deletes, then upserts
 * in batches: unlike the embedded store it is not atomic (a search during a restore sees a partial store).
 */
public final class MilvusVectorStore implements VectorStore {

    private static final int WRITE_BATCH = 500;

    private final MilvusClientV2 client;
    private final String collection;
    private final int dimensions;

    public MilvusVectorStore(String uri, String token, String database, String model, int dimensions) {
        this.dimensions = dimensions;
        ConnectConfig.ConnectConfigBuilder config =
                ConnectConfig.builder().uri(uri).dbName(database);
        if (token != null && !token.isBlank()) {
            config.token(token);
        }
        this.client = new MilvusClientV2(config.build());
        this.collection = VectorStore.collectionFor(model);
        ensureCollection(dimensions);
    }

    private void ensureCollection(int dimensions) {
        if (client.hasCollection(
                HasCollectionReq.builder().collectionName(collection).build())) {
            return;
        }
        CreateCollectionReq.CollectionSchema schema = client.createSchema();
        schema.addField(AddFieldReq.builder()
                .fieldName("chunk_id")
                .dataType(DataType.VarChar)
                .maxLength(128)
                .isPrimaryKey(true)
                .autoID(false)
                .build());
        schema.addField(AddFieldReq.builder()
                .fieldName("tenant")
                .dataType(DataType.VarChar)
                .maxLength(256)
                .isPartitionKey(true)
                .build());
        schema.addField(AddFieldReq.builder()
                .fieldName("source_id")
                .dataType(DataType.VarChar)
                .maxLength(64)
                .build());
        schema.addField(AddFieldReq.builder()
                .fieldName("position")
                .dataType(DataType.Int64)
                .build());
        schema.addField(AddFieldReq.builder()
                .fieldName("vector")
                .dataType(DataType.FloatVector)
                .dimension(dimensions)
                .build());
        IndexParam index = IndexParam.builder()
                .fieldName("vector")
                .indexType(IndexParam.IndexType.HNSW)
                .metricType(IndexParam.MetricType.COSINE)
                .extraParams(Map.of("M", 16, "efConstruction", 200))
                .build();
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(collection)
                .collectionSchema(schema)
                .indexParams(List.of(index))
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<JsonObject> rows = new ArrayList<>(records.size());
        for (VectorRecord record : records) {
            rows.add(row(record));
        }
        client.upsert(UpsertReq.builder().collectionName(collection).data(rows).build());
    }

    private static JsonObject row(VectorRecord record) {
        JsonObject row = new JsonObject();
        row.addProperty("chunk_id", record.chunkId());
        row.addProperty("tenant", record.tenant());
        row.addProperty("source_id", record.sourceId());
        row.addProperty("position", record.position());
        JsonArray vector = new JsonArray(record.vector().length);
        for (float v : record.vector()) {
            vector.add(v);
        }
        row.add("vector", vector);
        return row;
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
    public Stream<VectorRecord> exportAll() {
        QueryIterator rows = client.queryIterator(QueryIteratorReq.builder()
                .collectionName(collection)
                .outputFields(List.of("chunk_id", "tenant", "source_id", "position", "vector"))
                .expr("")
                .batchSize(1000)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        Iterator<VectorRecord> records = new Iterator<>() {
            private Iterator<QueryResultsWrapper.RowRecord> page =
                    List.<QueryResultsWrapper.RowRecord>of().iterator();
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !done) {
                    List<QueryResultsWrapper.RowRecord> next = rows.next();
                    done = next.isEmpty();
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public VectorRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map<String, Object> row = page.next().getFieldValues();
                List<?> values = (List<?>) row.get("vector");
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = ((Number) values.get(i)).floatValue();
                }
                return new VectorRecord(
                        String.valueOf(row.get("chunk_id")),
                        String.valueOf(row.get("tenant")),
                        String.valueOf(row.get("source_id")),
                        ((Number) row.get("position")).intValue(),
                        vector);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.NONNULL), false)
                .onClose(rows::close);
    }

    @Override
    public long replaceAll(Iterator<VectorRecord> records) {
        client.delete(DeleteReq.builder()
                .collectionName(collection)
                .filter("chunk_id != \"\"")
                .build());
        long written = 0;
        List<JsonObject> batch = new ArrayList<>(WRITE_BATCH);
        while (records.hasNext()) {
            batch.add(row(records.next()));
            if (batch.size() == WRITE_BATCH) {
                client.upsert(UpsertReq.builder()
                        .collectionName(collection)
                        .data(batch)
                        .build());
                written += batch.size();
                batch = new ArrayList<>(WRITE_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            client.upsert(
                    UpsertReq.builder().collectionName(collection).data(batch).build());
            written += batch.size();
        }
        return written;
    }

    @Override
    public List<VectorHit> search(String tenant, float[] query, int k, Collection<String> sourceIds) {
        SearchResp response = client.search(SearchReq.builder()
                .collectionName(collection)
                .data(List.of(new FloatVec(query)))
                .annsField("vector")
                .topK(k)
                .filter(filter(tenant, sourceIds))
                .outputFields(List.of("source_id", "position"))
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        List<VectorHit> hits = new ArrayList<>();
        for (SearchResp.SearchResult result : response.getSearchResults().getFirst()) {
            Map<String, Object> entity = result.getEntity();
            hits.add(new VectorHit(
                    String.valueOf(result.getId()),
                    String.valueOf(entity.get("source_id")),
                    ((Number) entity.get("position")).intValue(),
                    result.getScore()));
        }
        return hits;
    }

    @Override
    public void deleteSource(String tenant, String sourceId) {
        client.delete(DeleteReq.builder()
                .collectionName(collection)
                .filter(filter(tenant, List.of(sourceId)))
                .build());
    }

    @Override
    public long count(String tenant, String sourceId) {
        QueryResp response = client.query(QueryReq.builder()
                .collectionName(collection)
                .filter(filter(tenant, List.of(sourceId)))
                .outputFields(List.of("count(*)"))
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        return ((Number) response.getQueryResults().getFirst().getEntity().get("count(*)")).longValue();
    }

    @Override
    public boolean healthy() {
        try {
            return client.hasCollection(
                    HasCollectionReq.builder().collectionName(collection).build());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** A boolean expression over the scalar fields; values are quoted, ids are UUIDs. */
    static String filter(String tenant, Collection<String> sourceIds) {
        String expression = "tenant == " + quote(tenant);
        if (!sourceIds.isEmpty()) {
            expression += " and source_id in ["
                    + String.join(
                            ", ",
                            sourceIds.stream().map(MilvusVectorStore::quote).toList()) + "]";
        }
        return expression;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
