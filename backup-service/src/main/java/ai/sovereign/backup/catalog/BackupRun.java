package ai.sovereign.backup.catalog;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/** One row of the backup catalog. JSON columns are kept as JSON text. */
public record BackupRun(
        String id,
        List<String> components,
        String target,
        String location,
        String trigger,
        Status status,
        Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String manifestJson,
        @Nullable String error,
        String progressJson,
        @Nullable Long sizeBytes,
        @Nullable String verifyStatus,
        @Nullable Instant verifiedAt,
        @Nullable String verifyResultJson,
        @Nullable String lastRestoreJson) {

    public enum Status {
        RUNNING,
        SUCCEEDED,
        FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean verified() {
        return "passed".equals(verifyStatus);
    }
}
