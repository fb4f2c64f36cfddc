package ai.sovereign.backup.api;

import ai.sovereign.backup.catalog.BackupRun;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * A backup run as the API lists it; fields without a value are {@code null}, not left out (micronaut-serde would leave
 * out nulls and empty lists of a record).
 *
 * @param object   always {@code backup}
 * @param progress the components done and the one running, as the runner records them
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BackupView(
        String id,
        String object,
        String status,
        List<String> components,
        String target,
        String location,
        String trigger,
        String startedAt,
        @Nullable String finishedAt,
        @Nullable Long sizeBytes,
        @Nullable String error,
        @Nullable String verifyStatus,
        @Nullable String verifiedAt,
        @Nullable Object progress) {

    static BackupView of(BackupRun run, @Nullable Object progress) {
        return new BackupView(
                run.id(),
                "backup",
                run.status().wire(),
                run.components(),
                run.target(),
                run.location(),
                run.trigger(),
                run.startedAt().toString(),
                run.finishedAt() == null ? null : run.finishedAt().toString(),
                run.sizeBytes(),
                run.error(),
                run.verifyStatus(),
                run.verifiedAt() == null ? null : run.verifiedAt().toString(),
                progress);
    }
}
