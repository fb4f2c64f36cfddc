package ai.sovereign.ingestion.graph;

import ai.sovereign.ingestion.entity.Entity;
import java.util.List;

/** A chunk as the graph stores it, with the entities it mentions. */
public record GraphChunk(String id, int position, String text, int tokens, List<Entity> entities) {}
