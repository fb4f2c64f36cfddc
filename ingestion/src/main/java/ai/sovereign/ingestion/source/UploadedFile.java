package ai.sovereign.ingestion.source;

/** One file of an upload request, fully received. */
public record UploadedFile(String name, String declaredType, byte[] bytes) {}
