package ai.sovereign.ingestion.source;

import java.util.Locale;

/** Where a source is in the pipeline; {@code READY} and {@code FAILED} are final. */
public enum SourceStatus {
    QUEUED,
    PARSING,
    CHUNKING,
    EMBEDDING,
    STORING,
    READY,
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SourceStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == READY || this == FAILED;
    }
}
