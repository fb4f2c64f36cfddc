package ai.sovereign.ingestion.vector;

/** One chunk's vector with what a search needs to find its way back: tenant, source, position. */
public record VectorRecord(String chunkId, String tenant, String sourceId, int position, float[] vector) {}
