package ai.sovereign.ingestion;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code ingestion.data-dir} ({@code INGESTION_DATA_DIR}): where raw uploads and the embedded vector index live. */
@ConfigurationProperties("ingestion")
public record DataDirectorySettings(
        @Bindable(defaultValue = "data/ingestion") String dataDir) {

    public DataDirectorySettings {
        if (dataDir.isBlank()) {
            throw new IllegalArgumentException("ingestion.data-dir must name a folder (got an empty value)");
        }
    }
}
