package ai.sovereign.backup.retention;

import ai.sovereign.backup.BackupSettings;
import ai.sovereign.backup.audit.BackupAudit;
import ai.sovereign.backup.catalog.BackupCatalog;
import ai.sovereign.backup.catalog.BackupRun;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Deletes runs (files first, then the catalog row), one by request or many by the {@link RetentionPolicy}. */
@Singleton
public class RetentionService {

    private static final int CATALOG_LIMIT = 100_000;

    private final BackupCatalog catalog;
    private final Targets targets;
    private final BackupSettings settings;
    private final BackupAudit audit;
    private final Clock clock = Clock.systemUTC();

    public RetentionService(BackupCatalog catalog, Targets targets, BackupSettings settings, BackupAudit audit) {
        this.catalog = catalog;
        this.targets = targets;
        this.settings = settings;
        this.audit = audit;
    }

    public void delete(String id, BackupAudit.Actor actor) {
        BackupRun run = catalog.find(id).orElseThrow(() -> ApiException.notFound("backup " + id + " does not exist"));
        if (run.status() == BackupRun.Status.RUNNING) {
            throw new ApiException(
                    HttpStatus.CONFLICT, "backup " + id + " is still running", "backup_in_progress", "id");
        }
        remove(run);
        audit.record(
                actor,
                "backup.delete",
                id,
                AuditEvent.Outcome.SUCCESS,
                null,
                Map.of(
                        "target",
                        run.target(),
                        "location",
                        run.location(),
                        "status",
                        run.status().wire(),
                        "components",
                        run.components()));
    }

    public RetentionResult apply(boolean dryRun, BackupAudit.Actor actor) {
        RetentionPolicy policy = settings.retention().policy();
        List<BackupRun> runs = catalog.list(CATALOG_LIMIT).stream()
                .filter(r -> r.status() != BackupRun.Status.RUNNING)
                .toList();
        RetentionPolicy.Plan plan = policy.plan(
                runs.stream()
                        .map(r -> new RetentionPolicy.Candidate(
                                r.id(), r.startedAt(), r.status() == BackupRun.Status.SUCCEEDED, r.verified()))
                        .toList(),
                clock.instant());
        List<String> deleted = new ArrayList<>();
        List<RetentionResult.Failure> errors = new ArrayList<>();
        if (!dryRun) {
            for (String id : plan.delete()) {
                BackupRun run =
                        runs.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
                try {
                    remove(run);
                    deleted.add(id);
                } catch (RuntimeException e) {
                    errors.add(new RetentionResult.Failure(id, e.getMessage()));
                }
            }
        }
        RetentionResult result = new RetentionResult(
                dryRun, RetentionResult.Policy.of(policy), plan.keep(), plan.delete(), deleted, errors);
        audit.record(
                actor,
                "backup.retention",
                "retention",
                errors.isEmpty() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE,
                errors.isEmpty() ? null : errors.size() + " deletion(s) failed",
                Map.of(
                        "dry_run",
                        dryRun,
                        "policy",
                        RetentionResult.Policy.of(policy),
                        "kept",
                        plan.keep().size(),
                        "deleted",
                        dryRun ? plan.delete().size() : deleted.size(),
                        "deleted_ids",
                        dryRun ? plan.delete() : deleted));
        return result;
    }

    private void remove(BackupRun run) {
        try {
            targets.get(run.target(), "target").delete(run.location());
        } catch (IOException e) {
            throw new ApiException(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "backup " + run.id() + ": files at " + run.location() + " could not be deleted: " + e.getMessage(),
                    "delete_failed",
                    null);
        }
        catalog.delete(run.id());
    }
}
