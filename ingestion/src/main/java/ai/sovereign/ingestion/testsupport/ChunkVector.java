package ai.sovereign.ingestion.testsupport;

/** For benchmarks and tests: one chunk's vector as {@link EmbeddedVectorIndex} stores it (tenant, source, position). */
public record ChunkVector(String chunkId, String tenant, String sourceId, int position, float[] vector) {}
