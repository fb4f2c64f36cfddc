package ai.sovereign.backup.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/** {@code DELETE /api/v1/backups/{id}}: the run and its files are gone; {@code object} is always {@code backup}. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeletedBackup(String id, String object, boolean deleted) {

    static DeletedBackup of(String id) {
        return new DeletedBackup(id, "backup", true);
    }
}
