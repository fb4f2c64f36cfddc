package ai.sovereign.ingestion.search;

import ai.sovereign.ingestion.audit.IngestionAudit;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** {@code POST /api/v1/search}. */
@Controller("/api/v1/search")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SearchController {

    static final int MAX_TOP_K = 100;

    private final SearchService search;
    private final IngestionAudit audit;

    public SearchController(SearchService search, IngestionAudit audit) {
        this.search = search;
        this.audit = audit;
    }

    @Post
    public SearchResponse search(HttpRequest<?> request, @Body SearchRequest body) {
        Caller caller = ServiceTokenFilter.caller(request).require(Role.USER, Role.ADMIN, Role.SERVICE);
        SearchQuery query = body.toQuery();
        List<SearchHit> hits = search.search(caller.tenant(), query);
        Map<String, Object> details = new java.util.HashMap<>(
                Map.of("mode", query.mode().wireName(), "top_k", query.topK(), "results", hits.size()));
        if (audit.mayRecordText(caller.tenant())) {
            details.put("query", query.text());
        }
        audit.record(request, caller, "ingestion.search", "knowledge", caller.tenant(), details);
        return new SearchResponse(query.mode().wireName(), hits);
    }

    /** Request body; {@code filters.source_ids} restricts the search to some sources. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SearchRequest(
            @Nullable String query,
            @Nullable Integer topK,
            @Nullable String mode,
            @Nullable Map<String, List<String>> filters) {

        SearchQuery toQuery() {
            if (query == null || query.isBlank()) {
                throw ApiException.badRequest("query is required", "query");
            }
            if (query.length() > 4000) {
                throw ApiException.badRequest(
                        "query is too long (" + query.length() + " characters, at most 4000)", "query");
            }
            int k = topK == null ? 10 : topK;
            if (k < 1 || k > MAX_TOP_K) {
                throw ApiException.badRequest("top_k must be 1.." + MAX_TOP_K + " (got " + k + ")", "top_k");
            }
            return new SearchQuery(query, k, parseMode(mode), sourceIds(filters));
        }
    }

    static SearchMode parseMode(@Nullable String mode) {
        if (mode == null) {
            return SearchMode.HYBRID;
        }
        try {
            return SearchMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("mode must be vector, keyword, hybrid or graph (got " + mode + ")", "mode");
        }
    }

    static List<String> sourceIds(@Nullable Map<String, List<String>> filters) {
        if (filters == null) {
            return List.of();
        }
        for (String key : filters.keySet()) {
            if (!key.equals("source_ids")) {
                throw ApiException.badRequest("unknown filter " + key + "; supported: source_ids", "filters");
            }
        }
        List<String> ids = filters.getOrDefault("source_ids", List.of());
        for (String id : ids) {
            try {
                UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("filters.source_ids: " + id + " is not a source id", "filters");
            }
        }
        return ids;
    }

    /** Response: the mode used and the hits, best first. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SearchResponse(String mode, List<SearchHit> data) {}
}
