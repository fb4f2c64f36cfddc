package ai.sovereign.ingestion.chat;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/** Source {@code [number]} of an answer: which chunk of which source. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record Citation(int number, String sourceId, String sourceName, String chunkId, int position, double score) {}
