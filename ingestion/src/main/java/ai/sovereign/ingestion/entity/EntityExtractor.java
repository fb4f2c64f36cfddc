package ai.sovereign.ingestion.entity;

import java.util.List;

/** Finds entities in a chunk of text; never throws for odd input (an extractor failure must not fail a source). */
public interface EntityExtractor {

    List<Entity> extract(String text);
}
