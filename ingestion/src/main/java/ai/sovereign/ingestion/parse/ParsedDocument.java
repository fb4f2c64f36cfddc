package ai.sovereign.ingestion.parse;

/** The normalised text of a file and the media type Tika detected. */
public record ParsedDocument(String text, String detectedType) {}
