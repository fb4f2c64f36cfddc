package ai.sovereign.ingestion.source;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code ingestion.upload.max-file-bytes} (default 50 MiB; larger files get 413) and {@code ingestion.upload.max-files} per request. */
@ConfigurationProperties("ingestion.upload")
public record UploadSettings(
        @Bindable(defaultValue = "52428800") long maxFileBytes,
        @Bindable(defaultValue = "50") int maxFiles) {

    public UploadSettings {
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException(
                    "ingestion.upload.max-file-bytes must be >= 1 (got " + maxFileBytes + ")");
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("ingestion.upload.max-files must be >= 1 (got " + maxFiles + ")");
        }
    }
}
