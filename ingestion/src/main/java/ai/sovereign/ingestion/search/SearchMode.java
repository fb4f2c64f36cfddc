package ai.sovereign.ingestion.search;

import java.util.Locale;

/** How to search: nearest vectors, full-text BM25, their reciprocal-rank fusion, or graph expansion of the fused hits. */
public enum SearchMode {
    VECTOR,
    KEYWORD,
    HYBRID,
    GRAPH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
