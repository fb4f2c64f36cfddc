package ai.sovereign.ingestion.entity;

import java.util.Locale;

/** A named thing found in a chunk: its surface form, its kind and the key it is merged on (kind + lower-cased name). */
public record Entity(String name, Kind kind) {

    public enum Kind {
        NAME,
        ACRONYM,
        QUANTITY
    }

    public String key() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + name.toLowerCase(Locale.ROOT);
    }
}
