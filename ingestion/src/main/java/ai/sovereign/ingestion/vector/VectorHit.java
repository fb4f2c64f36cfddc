package ai.sovereign.ingestion.vector;

/** A nearest neighbour: the chunk and its cosine similarity to the query (-1..1). */
public record VectorHit(String chunkId, String sourceId, int position, double score) {}
