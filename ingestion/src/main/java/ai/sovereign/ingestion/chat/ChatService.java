package ai.sovereign.ingestion.chat;

import ai.sovereign.ingestion.search.SearchHit;
import ai.sovereign.ingestion.search.SearchMode;
import ai.sovereign.ingestion.search.SearchQuery;
import ai.sovereign.ingestion.search.SearchService;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Retrieval-augmented answers: checks that the tenant's knowledge holds something relevant (best vector similarity
 * at least {@code min-relevance}; otherwise it says so and calls no model), takes the hybrid top-k chunks as numbered
 * sources, and asks the router's model to answer from them with [n] citations.
 */
@Singleton
public class ChatService {

    static final String NOTHING_RELEVANT = "I could not find anything relevant to this question in your documents, "
            + "so I cannot answer it from them.";

    private final SearchService search;
    private final RouterChatClient router;
    private final ChatSettings settings;

    public ChatService(SearchService search, RouterChatClient router, ChatSettings settings) {
        this.search = search;
        this.router = router;
        this.settings = settings;
    }

    public Answer answer(String tenant, String question, int topK, String model, String token) {
        List<SearchHit> hits = hits(tenant, question, topK);
        if (hits.isEmpty()) {
            return new Answer(NOTHING_RELEVANT, List.of(), false, model(model));
        }
        String text = router.complete(model(model), PromptBuilder.SYSTEM, PromptBuilder.user(question, hits), token);
        return new Answer(text, citations(hits), true, model(model));
    }

    /** Streams: citations first, then the answer's text deltas. */
    public void stream(
            String tenant,
            String question,
            int topK,
            String model,
            String token,
            Consumer<List<Citation>> onCitations,
            Consumer<String> onDelta) {
        List<SearchHit> hits = hits(tenant, question, topK);
        onCitations.accept(citations(hits));
        if (hits.isEmpty()) {
            onDelta.accept(NOTHING_RELEVANT);
            return;
        }
        router.stream(model(model), PromptBuilder.SYSTEM, PromptBuilder.user(question, hits), token, onDelta);
    }

    private List<SearchHit> hits(String tenant, String question, int topK) {
        List<SearchHit> best = search.search(tenant, new SearchQuery(question, 1, SearchMode.VECTOR, List.of()));
        if (best.isEmpty() || best.getFirst().score() < settings.minRelevance()) {
            return List.of();
        }
        return search.search(tenant, new SearchQuery(question, topK, SearchMode.HYBRID, List.of()));
    }

    private static List<Citation> citations(List<SearchHit> hits) {
        List<Citation> citations = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            citations.add(new Citation(i + 1, h.sourceId(), h.sourceName(), h.chunkId(), h.position(), h.score()));
        }
        return citations;
    }

    private String model(String requested) {
        return requested == null || requested.isBlank() ? settings.defaultModel() : requested;
    }

    /** A whole answer: text, its numbered sources, and whether a model was asked at all. */
    public record Answer(String text, List<Citation> citations, boolean modelCalled, String model) {}
}
