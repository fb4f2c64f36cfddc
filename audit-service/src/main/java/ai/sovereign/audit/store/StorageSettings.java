package ai.sovereign.audit.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code audit.data-dir}: where the service keeps what must live outside the database (checkpoint files, retention
 * archives, a generated signing key); {@code audit.backup-dir}: an optional second place (a mounted backup volume)
 * that receives a copy of every checkpoint and archive.
 */
@ConfigurationProperties("audit")
public record StorageSettings(
        @Bindable(defaultValue = "audit-data") Path dataDir,
        @Nullable Path backupDir) {

    public Optional<Path> backup() {
        return Optional.ofNullable(backupDir);
    }
}
