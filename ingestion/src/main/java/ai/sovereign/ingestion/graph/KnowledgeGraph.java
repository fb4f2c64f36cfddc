package ai.sovereign.ingestion.graph;

import ai.sovereign.ingestion.entity.Entity;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;

/**
 * The document graph in Neo4j: {@code (:Source)-[:HAS_CHUNK]->(:Chunk)-[:NEXT]->(:Chunk)},
 * {@code (:Chunk)-[:MENTIONS]->(:Entity)}, {@code (:Entity)-[:RELATED {type}]->(:Entity)}; every node carries its
 * tenant, every id is unique (constraints), chunk text has a full-text index (English analyser, BM25 scoring). All
 * writes are MERGEs keyed by deterministic ids, so writing the same source twice changes nothing.
 */
@Singleton
public class KnowledgeGraph {

    static final String FULLTEXT_INDEX = "chunk_text";
    private static final int MAX_RELATED_PER_CHUNK = 10;

    /*
     * The group commit's statements. "replan=skip": the graph grows fast while documents stream in, so Neo4j would
     * consider these plans stale (statistics diverged) and compile them again and again — most of the graph's CPU
     * during bulk ingestion went into the Cypher planner. Their plans (index seeks on unique ids, MERGE) do not depend
     * on the statistics, so the first plan stays.
     */
    private static final String WRITE_CHUNKS = "CYPHER replan=skip UNWIND $sources AS src "
            + "MERGE (s:Source {id: src.id}) SET s.tenant = src.tenant, s.name = src.name "
            + "WITH s, src UNWIND src.chunks AS c "
            + "MERGE (ch:Chunk {id: c.id}) SET ch.tenant = src.tenant, ch.sourceId = src.id, "
            + "ch.position = c.position, ch.text = c.text, ch.tokens = c.tokens "
            + "MERGE (s)-[:HAS_CHUNK]->(ch)";
    private static final String WRITE_NEXT = "CYPHER replan=skip UNWIND $pairs AS p "
            + "MATCH (a:Chunk {id: p.from}) MATCH (b:Chunk {id: p.to}) MERGE (a)-[:NEXT]->(b)";
    private static final String WRITE_MENTIONS = "CYPHER replan=skip UNWIND $entities AS e MERGE (n:Entity {id: e.id}) "
            + "ON CREATE SET n.tenant = e.tenant, n.name = e.name, n.kind = e.kind, n.key = e.key "
            + "WITH count(*) AS entities UNWIND $mentions AS m "
            + "MATCH (c:Chunk {id: m.chunk}) MATCH (e:Entity {id: m.entity}) MERGE (c)-[:MENTIONS]->(e)";
    private static final String WRITE_RELATED = "CYPHER replan=skip UNWIND $related AS r "
            + "MATCH (a:Entity {id: r.a}) MATCH (b:Entity {id: r.b}) MERGE (a)-[:RELATED {type: 'co_occurs'}]->(b)";

    private final Driver driver;

    public KnowledgeGraph(Driver driver) {
        this.driver = driver;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        createSchema();
    }

    /** Constraints and indexes; idempotent. */
    public void createSchema() {
        try (Session session = driver.session()) {
            for (String statement : List.of(
                    "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
                    "CREATE CONSTRAINT chunk_id IF NOT EXISTS FOR (c:Chunk) REQUIRE c.id IS UNIQUE",
                    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
                    "CREATE INDEX chunk_source IF NOT EXISTS FOR (c:Chunk) ON (c.sourceId)",
                    "CREATE FULLTEXT INDEX " + FULLTEXT_INDEX + " IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text] "
                            + "OPTIONS {indexConfig: {`fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: false}}")) {
                session.run(statement).consume();
            }
            session.run("CALL db.awaitIndexes(60)").consume();
        }
    }

    /** Writes the source, its chunks in order, their entities and entity co-occurrence, in one transaction. */
    public void writeSource(String tenant, String sourceId, String name, List<GraphChunk> chunks) {
        writeSources(List.of(new SourceGraph(tenant, sourceId, name, chunks)));
    }

    /** One source's part of a {@link #writeSources} batch. */
    public record SourceGraph(String tenant, String sourceId, String name, List<GraphChunk> chunks) {}

    /**
     * Writes several sources (of any tenants) with their chunks, {@code NEXT} links, entities, mentions and entity
     * co-occurrence in one transaction of (at most) four UNWIND statements: the pipeline's group commit.
     */
    public void writeSources(List<SourceGraph> sources) {
        List<Map<String, Object>> sourceRows = new ArrayList<>();
        List<Map<String, Object>> mentions = new ArrayList<>();
        Map<String, Map<String, Object>> entities = new LinkedHashMap<>();
        Set<List<String>> related = new HashSet<>();
        List<Map<String, Object>> next = new ArrayList<>();
        for (SourceGraph source : sources) {
            List<Map<String, Object>> chunkRows = new ArrayList<>();
            for (GraphChunk chunk : source.chunks()) {
                chunkRows.add(Map.of(
                        "id",
                        chunk.id(),
                        "position",
                        chunk.position(),
                        "text",
                        chunk.text(),
                        "tokens",
                        chunk.tokens()));
                List<String> ids = new ArrayList<>();
                for (Entity entity : chunk.entities()) {
                    String entityId = entityId(source.tenant(), entity);
                    entities.putIfAbsent(
                            entityId,
                            Map.of(
                                    "id",
                                    entityId,
                                    "tenant",
                                    source.tenant(),
                                    "name",
                                    entity.name(),
                                    "kind",
                                    entity.kind().name(),
                                    "key",
                                    entity.key()));
                    mentions.add(Map.of("chunk", chunk.id(), "entity", entityId));
                    ids.add(entityId);
                }
                List<String> head = ids.subList(0, Math.min(ids.size(), MAX_RELATED_PER_CHUNK));
                for (int i = 0; i < head.size(); i++) {
                    for (int j = i + 1; j < head.size(); j++) {
                        String a = head.get(i);
                        String b = head.get(j);
                        related.add(a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a));
                    }
                }
            }
            for (int i = 1; i < source.chunks().size(); i++) {
                next.add(Map.of(
                        "from",
                        source.chunks().get(i - 1).id(),
                        "to",
                        source.chunks().get(i).id()));
            }
            sourceRows.add(Map.of(
                    "id", source.sourceId(), "tenant", source.tenant(), "name", source.name(), "chunks", chunkRows));
        }
        List<Map<String, Object>> relatedRows = related.stream()
                .map(p -> Map.<String, Object>of("a", p.get(0), "b", p.get(1)))
                .toList();
        try (Session session = driver.session()) {
            session.executeWrite(tx -> {
                tx.run(WRITE_CHUNKS, Values.parameters("sources", sourceRows)).consume();
                if (!next.isEmpty()) {
                    tx.run(WRITE_NEXT, Values.parameters("pairs", next)).consume();
                }
                if (!mentions.isEmpty()) {
                    tx.run(
                                    WRITE_MENTIONS,
                                    Values.parameters(
                                            "entities", new ArrayList<>(entities.values()), "mentions", mentions))
                            .consume();
                }
                if (!relatedRows.isEmpty()) {
                    tx.run(WRITE_RELATED, Values.parameters("related", relatedRows))
                            .consume();
                }
                return null;
            });
        }
    }

    /** Removes the source, its chunks and the entities no other chunk mentions any more. */
    public void deleteSource(String tenant, String sourceId) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> {
                List<String> entityIds = tx.run(
                                "MATCH (c:Chunk {sourceId: $sourceId}) WHERE c.tenant = $tenant "
                                        + "OPTIONAL MATCH (c)-[:MENTIONS]->(e:Entity) RETURN collect(DISTINCT e.id) AS ids",
                                Values.parameters("sourceId", sourceId, "tenant", tenant))
                        .single()
                        .get("ids")
                        .asList(v -> v.asString());
                tx.run(
                                "MATCH (c:Chunk {sourceId: $sourceId}) WHERE c.tenant = $tenant DETACH DELETE c",
                                Values.parameters("sourceId", sourceId, "tenant", tenant))
                        .consume();
                tx.run(
                                "MATCH (s:Source {id: $sourceId}) WHERE s.tenant = $tenant DETACH DELETE s",
                                Values.parameters("sourceId", sourceId, "tenant", tenant))
                        .consume();
                tx.run(
                                "UNWIND $ids AS id MATCH (e:Entity {id: id}) WHERE NOT (e)<-[:MENTIONS]-() DETACH DELETE e",
                                Values.parameters("ids", entityIds))
                        .consume();
                return null;
            });
        }
    }

    /** Full-text (BM25) search over the tenant's chunk text. */
    public List<ChunkText> keywordSearch(String tenant, String query, int k, Collection<String> sourceIds) {
        String lucene = LuceneQueryText.of(query);
        if (lucene.isEmpty()) {
            return List.of();
        }
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(
                            "CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score "
                                    + "WHERE node.tenant = $tenant AND (size($sources) = 0 OR node.sourceId IN $sources) "
                                    + "RETURN node.id AS id, node.sourceId AS sourceId, node.position AS position, node.text AS text, score "
                                    + "LIMIT $k",
                            Values.parameters(
                                    "index",
                                    FULLTEXT_INDEX,
                                    "query",
                                    lucene,
                                    "tenant",
                                    tenant,
                                    "sources",
                                    List.copyOf(sourceIds),
                                    "k",
                                    k))
                    .list(KnowledgeGraph::chunkText));
        }
    }

    /** Texts of the given chunks of the tenant, by id. */
    public Map<String, ChunkText> chunks(String tenant, Collection<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return Map.of();
        }
        try (Session session = driver.session()) {
            List<ChunkText> rows = session.executeRead(tx -> tx.run(
                            "UNWIND $ids AS id MATCH (c:Chunk {id: id}) "
                                    + "WHERE c.tenant = $tenant RETURN c.id AS id, c.sourceId AS sourceId, c.position AS position, "
                                    + "c.text AS text, 0.0 AS score",
                            Values.parameters("ids", List.copyOf(chunkIds), "tenant", tenant))
                    .list(KnowledgeGraph::chunkText));
            Map<String, ChunkText> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.chunkId(), r));
            return byId;
        }
    }

    /**
     * Expands from seed chunks through {@code NEXT} neighbours (weight 0.5) and chunks sharing entities with them
     * (0.2 per shared entity, at most 0.6); each neighbour scores its best seed's score times that weight.
     */
    public List<ChunkText> expand(String tenant, Map<String, Double> seedScores, int limit) {
        if (seedScores.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> seeds = seedScores.entrySet().stream()
                .map(e -> Map.<String, Object>of("id", e.getKey(), "score", e.getValue()))
                .toList();
        try (Session session = driver.session()) {
            return session.executeRead(
                    tx -> tx.run("""
                    UNWIND $seeds AS seed
                    MATCH (c:Chunk {id: seed.id}) WHERE c.tenant = $tenant
                    CALL (c, seed) {
                      MATCH (c)-[:NEXT]-(n:Chunk) WHERE n.tenant = $tenant
                      RETURN n, seed.score * 0.5 AS s
                      UNION
                      MATCH (c)-[:MENTIONS]->(e:Entity)<-[:MENTIONS]-(n:Chunk)
                      WHERE n.tenant = $tenant AND n.id <> c.id
                      WITH n, seed, count(DISTINCT e) AS shared
                      RETURN n, seed.score * CASE WHEN shared >= 3 THEN 0.6 ELSE 0.2 * shared END AS s
                    }
                    WITH n, max(s) AS score
                    RETURN n.id AS id, n.sourceId AS sourceId, n.position AS position, n.text AS text, score
                    ORDER BY score DESC LIMIT $limit
                    """, Values.parameters("seeds", seeds, "tenant", tenant, "limit", limit))
                            .list(KnowledgeGraph::chunkText));
        }
    }

    /** Chunks and entities stored for a source (tests, operators). */
    public Map<String, Long> counts(String tenant, String sourceId) {
        try (Session session = driver.session()) {
            Record record = session.executeRead(tx -> tx.run(
                            "OPTIONAL MATCH (s:Source {id: $sourceId}) WHERE s.tenant = $tenant "
                                    + "OPTIONAL MATCH (c:Chunk {sourceId: $sourceId}) WHERE c.tenant = $tenant "
                                    + "OPTIONAL MATCH (c)-[:MENTIONS]->(e:Entity) "
                                    + "RETURN count(DISTINCT s) AS sources, count(DISTINCT c) AS chunks, count(DISTINCT e) AS entities",
                            Values.parameters("sourceId", sourceId, "tenant", tenant))
                    .single());
            return Map.of(
                    "sources",
                    record.get("sources").asLong(),
                    "chunks",
                    record.get("chunks").asLong(),
                    "entities",
                    record.get("entities").asLong());
        }
    }

    private static ChunkText chunkText(Record r) {
        return new ChunkText(
                r.get("id").asString(),
                r.get("sourceId").asString(),
                r.get("position").asInt(),
                r.get("text").asString(),
                r.get("score").asDouble());
    }

    static String entityId(String tenant, Entity entity) {
        return tenant + "|" + entity.key();
    }
}
