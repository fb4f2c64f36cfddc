package ai.sovereign.ingestion.search;

import ai.sovereign.ingestion.embed.Embedder;
import ai.sovereign.ingestion.graph.ChunkText;
import ai.sovereign.ingestion.graph.KnowledgeGraph;
import ai.sovereign.ingestion.pipeline.IngestionMetrics;
import ai.sovereign.ingestion.source.SourceRepository;
import ai.sovereign.ingestion.vector.VectorHit;
import ai.sovereign.ingestion.vector.VectorStore;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The four search modes over one tenant's knowledge. Each mode over-fetches candidates, then keeps only chunks whose
 * source is {@code ready} in Postgres for this tenant: a deleted or replaced source disappears from every mode at the
 * moment its row changes, whatever the stores still hold.
 */
@Singleton
public class SearchService {

    private static final int MIN_CANDIDATES = 50;

    private final Embedder embedder;
    private final VectorStore vectors;
    private final KnowledgeGraph graph;
    private final SourceRepository sources;
    private final IngestionMetrics metrics;
    private final int rrfK;

    public SearchService(
            Embedder embedder,
            VectorStore vectors,
            KnowledgeGraph graph,
            SourceRepository sources,
            IngestionMetrics metrics,
            SearchSettings settings) {
        this.embedder = embedder;
        this.vectors = vectors;
        this.graph = graph;
        this.sources = sources;
        this.metrics = metrics;
        this.rrfK = settings.rrfK();
    }

    public List<SearchHit> search(String tenant, SearchQuery query) {
        long started = System.nanoTime();
        int candidates = Math.max(MIN_CANDIDATES, query.topK() * 4);
        List<ChunkText> ranked = switch (query.mode()) {
            case VECTOR -> vector(tenant, query, candidates);
            case KEYWORD -> graph.keywordSearch(tenant, query.text(), candidates, query.sourceIds());
            case HYBRID -> hybrid(tenant, query, candidates);
            case GRAPH -> graphExpansion(tenant, query, candidates);
        };
        List<SearchHit> hits = visible(tenant, ranked, query.topK());
        metrics.search(query.mode().wireName(), Duration.ofNanos(System.nanoTime() - started));
        return hits;
    }

    private List<ChunkText> vector(String tenant, SearchQuery query, int candidates) {
        float[] embedding = embedder.embed(List.of(query.text())).getFirst();
        List<VectorHit> hits = vectors.search(tenant, embedding, candidates, query.sourceIds());
        Map<String, ChunkText> texts =
                graph.chunks(tenant, hits.stream().map(VectorHit::chunkId).toList());
        List<ChunkText> ranked = new ArrayList<>(hits.size());
        for (VectorHit hit : hits) {
            ChunkText text = texts.get(hit.chunkId());
            if (text != null) {
                ranked.add(new ChunkText(hit.chunkId(), hit.sourceId(), hit.position(), text.text(), hit.score()));
            }
        }
        return ranked;
    }

    private List<ChunkText> hybrid(String tenant, SearchQuery query, int candidates) {
        List<ChunkText> byVector = vector(tenant, query, candidates);
        List<ChunkText> byKeyword = graph.keywordSearch(tenant, query.text(), candidates, query.sourceIds());
        Map<String, ChunkText> all = new LinkedHashMap<>();
        byVector.forEach(c -> all.putIfAbsent(c.chunkId(), c));
        byKeyword.forEach(c -> all.putIfAbsent(c.chunkId(), c));
        List<ChunkText> fused = new ArrayList<>();
        for (Map.Entry<String, Double> entry : ReciprocalRankFusion.fuse(
                rrfK,
                List.of(
                        byVector.stream().map(ChunkText::chunkId).toList(),
                        byKeyword.stream().map(ChunkText::chunkId).toList()))) {
            ChunkText c = all.get(entry.getKey());
            fused.add(new ChunkText(c.chunkId(), c.sourceId(), c.position(), c.text(), entry.getValue()));
        }
        return fused;
    }

    /** Hybrid hits as seeds, plus their NEXT neighbours and chunks sharing entities with them. */
    private List<ChunkText> graphExpansion(String tenant, SearchQuery query, int candidates) {
        List<ChunkText> seeds = hybrid(tenant, query, candidates);
        List<ChunkText> top = seeds.subList(0, Math.min(seeds.size(), Math.max(query.topK(), 5)));
        Map<String, Double> seedScores = new LinkedHashMap<>();
        top.forEach(s -> seedScores.put(s.chunkId(), s.score()));
        Map<String, ChunkText> merged = new LinkedHashMap<>();
        top.forEach(s -> merged.put(s.chunkId(), s));
        Set<String> allowed = new HashSet<>(query.sourceIds());
        for (ChunkText neighbour : graph.expand(tenant, seedScores, candidates)) {
            if (!allowed.isEmpty() && !allowed.contains(neighbour.sourceId())) {
                continue;
            }
            ChunkText current = merged.get(neighbour.chunkId());
            if (current == null || current.score() < neighbour.score()) {
                merged.put(neighbour.chunkId(), neighbour);
            }
        }
        List<ChunkText> ranked = new ArrayList<>(merged.values());
        ranked.sort((a, b) -> Double.compare(b.score(), a.score()));
        return ranked;
    }

    private List<SearchHit> visible(String tenant, List<ChunkText> ranked, int topK) {
        Set<UUID> sourceIds = new HashSet<>();
        ranked.forEach(c -> sourceIds.add(UUID.fromString(c.sourceId())));
        Map<UUID, String> names = sources.readyNames(tenant, sourceIds);
        List<SearchHit> hits = new ArrayList<>(topK);
        for (ChunkText c : ranked) {
            String name = names.get(UUID.fromString(c.sourceId()));
            if (name != null) {
                hits.add(new SearchHit(c.sourceId(), name, c.chunkId(), c.position(), c.score(), c.text()));
                if (hits.size() == topK) {
                    break;
                }
            }
        }
        return hits;
    }
}
