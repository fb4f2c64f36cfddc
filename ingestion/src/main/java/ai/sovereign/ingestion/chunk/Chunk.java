package ai.sovereign.ingestion.chunk;

/** One piece of a document: its order in the document, its text and its size in model tokens. */
public record Chunk(int position, String text, int tokens) {}
