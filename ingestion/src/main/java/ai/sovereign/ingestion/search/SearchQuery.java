package ai.sovereign.ingestion.search;

import java.util.List;

/** A validated search: text, how many results, mode, and an optional restriction to some sources. */
public record SearchQuery(String text, int topK, SearchMode mode, List<String> sourceIds) {}
