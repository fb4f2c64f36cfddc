package ai.sovereign.backup.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * One backup run as {@code GET /api/v1/backups/{id}} shows it: the listed fields, then the manifest, the last
 * verification's and the last restore's reports as stored ({@code null} when there is none).
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BackupDetail(
        @JsonUnwrapped BackupView backup,
        @Nullable Object manifest,
        @Nullable Object verifyResult,
        @Nullable Object lastRestore) {}
