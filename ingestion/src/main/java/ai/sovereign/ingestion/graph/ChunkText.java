package ai.sovereign.ingestion.graph;

/** A chunk read back from the graph, with a score from the query that found it. */
public record ChunkText(String chunkId, String sourceId, int position, String text, double score) {}
