package ai.sovereign.ingestion.entity;

import java.util.List;

/** Finds entities in a chunk of text; never throws for odd input (an extractor failure must not fail a source). */
public interface EntityExtractor {

    List<Entity> extract(String text);

    /** The same for a chunk of {@code tenant}'s (an extractor that calls a model attributes the usage to it). */
    default List<Entity> extract(String tenant, String text) {
        return extract(text);
    }
}
