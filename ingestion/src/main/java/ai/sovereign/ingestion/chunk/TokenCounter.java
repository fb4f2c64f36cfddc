package ai.sovereign.ingestion.chunk;

/** Counts tokens the way the embedding model will see them. */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);
}
