package ai.sovereign.ingestion.search;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/** One retrieved chunk: its source, where it sits in it, its text, and the score of the mode that found it. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record SearchHit(String sourceId, String sourceName, String chunkId, int position, double score, String text) {}
