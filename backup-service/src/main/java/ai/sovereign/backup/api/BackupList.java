package ai.sovereign.backup.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** {@code GET /api/v1/backups}: the newest runs first; {@code object} is always {@code list}. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BackupList(String object, List<BackupView> data) {

    static BackupList of(List<BackupView> data) {
        return new BackupList("list", data);
    }
}
