package ai.sovereign.backup.run;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import ai.sovereign.backup.BackupSettings;
import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.Manifest;
import ai.sovereign.backup.audit.BackupAudit;
import ai.sovereign.backup.catalog.BackupCatalog;
import ai.sovereign.backup.catalog.BackupRun;
import ai.sovereign.backup.metrics.BackupMetrics;
import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verification (checksums, then a restore into scratch space compared with the manifest's counts and content
 * hashes) and restore (scratch or original; original needs the backup id as confirmation and an acknowledged audit
 * event first). A changed or missing file fails verification naming the file, and a restore refuses to start.
 */
@Singleton
public class Restores {

    private final BackupCatalog catalog;
    private final Targets targets;
    private final Components components;
    private final BackupSettings settings;
    private final BackupMetrics metrics;
    private final BackupAudit audit;
    private final BackupRunner runner;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public Restores(BackupCatalog catalog, Targets targets, Components components, BackupSettings settings, BackupMetrics metrics,
                    BackupAudit audit, BackupRunner runner, JsonMapper json) {
        this.catalog = catalog;
        this.targets = targets;
        this.components = components;
        this.settings = settings;
        this.metrics = metrics;
        this.audit = audit;
        this.runner = runner;
        this.json = json;
    }

    /** What a restore request asks for. */
    public record RestoreRequest(List<String> components, boolean original, boolean dryRun, String confirm) {
    }

    public Map<String, Object> verify(String id, BackupAudit.Actor actor) {
        BackupRun run = finished(id);
        ArtifactReader reader = reader(run);
        List<String> names = reader.manifest().componentNames();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        List<ArtifactReader.FileProblem> problems = reader.checkFiles(names);
        result.put("files_checked", reader.manifest().files().size());
        Map<String, Object> perComponent = new LinkedHashMap<>();
        boolean passed = problems.isEmpty();
        if (passed) {
            String token = token();
            for (String name : names) {
                Map<String, Object> outcome = new LinkedHashMap<>();
                try {
                    ComponentManifest cm = reader.manifest().components().get(name);
                    RestoreOutcome restored = component(name).restore(reader, cm, new RestoreScope.Scratch(token, false));
                    List<String> differences = restored.content().differencesFrom(new ContentSummary(cm.counts(), cm.contentHashes()));
                    outcome.put("passed", differences.isEmpty());
                    outcome.put("counts", restored.content().counts());
                    outcome.put("differences", differences);
                    passed &= differences.isEmpty();
                    metrics.verified(name, differences.isEmpty());
                } catch (Exception e) {
                    outcome.put("passed", false);
                    outcome.put("error", e.toString());
                    passed = false;
                    metrics.verified(name, false);
                }
                perComponent.put(name, outcome);
            }
        } else {
            names.forEach(n -> metrics.verified(n, false));
        }
        result.put("passed", passed);
        result.put("file_problems", problems.stream().map(p -> Map.of("file", p.file(), "problem", p.problem())).toList());
        result.put("components", perComponent);
        Instant at = clock.instant();
        result.put("verified_at", at.toString());
        catalog.verified(id, passed, at, json.writeValueAsString(result));
        audit.record(actor, "backup.verify", id, passed ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE,
                passed ? null : describe(problems, perComponent), Map.of("passed", passed));
        return result;
    }

    public Map<String, Object> restore(String id, RestoreRequest request, BackupAudit.Actor actor) {
        BackupRun run = finished(id);
        ArtifactReader reader = reader(run);
        List<String> available = reader.manifest().componentNames();
        List<String> names = request.components() == null || request.components().isEmpty() ? available : request.components();
        for (String name : names) {
            if (!available.contains(name)) {
                throw ApiException.badRequest("components: backup " + id + " has " + available + ", not '" + name + "'", "components");
            }
            if (component(name) == null) {
                throw ApiException.badRequest("components: " + name + " is not configured in this service", "components");
            }
        }
        if (request.original() && !request.dryRun() && !id.equals(request.confirm())) {
            throw ApiException.badRequest("confirm must be the backup id (\"" + id + "\") to restore into the original stores; "
                    + "this replaces live data", "confirm");
        }
        List<ArtifactReader.FileProblem> problems = reader.checkFiles(names);
        if (!problems.isEmpty()) {
            audit.record(actor, "backup.restore", id, AuditEvent.Outcome.FAILURE, describe(problems, Map.of()), Map.of("components", names));
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "backup " + id + " is damaged, restore refused: " + describe(problems, Map.of()),
                    "artifact_corrupt", "id");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put("target", request.original() ? "original" : "scratch");
        result.put("components", names);
        if (request.dryRun()) {
            Map<String, Object> plan = new LinkedHashMap<>();
            for (String name : names) {
                plan.put(name, reader.manifest().components().get(name).counts());
            }
            result.put("dry_run", true);
            result.put("files_checked", "all checksums match");
            result.put("would_restore", plan);
            return result;
        }
        for (String name : names) {
            if (runner.isBusy(name)) {
                throw new ApiException(HttpStatus.CONFLICT, "a backup of " + name + " is running; restore after it finishes", "backup_in_progress", "components");
            }
        }
        if (request.original()) {
            try {
                audit.recordBefore(actor, "backup.restore.start", id, Map.of("components", names, "target", "original"), Duration.ofSeconds(15));
            } catch (Exception e) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the audit event could not be written, restore not started: " + e.getMessage(),
                        "audit_unavailable", null);
            }
        }
        String token = token();
        Instant started = clock.instant();
        Map<String, Object> perComponent = new LinkedHashMap<>();
        boolean passed = true;
        for (String name : names) {
            Map<String, Object> outcome = new LinkedHashMap<>();
            try {
                ComponentManifest cm = reader.manifest().components().get(name);
                RestoreScope scope = request.original() ? new RestoreScope.Original() : new RestoreScope.Scratch(token, true);
                RestoreOutcome restored = component(name).restore(reader, cm, scope);
                List<String> differences = restored.content().differencesFrom(new ContentSummary(cm.counts(), cm.contentHashes()));
                outcome.put("restored", true);
                outcome.put("matches_backup", differences.isEmpty());
                outcome.put("differences", differences);
                outcome.put("counts", restored.content().counts());
                outcome.put("details", restored.details());
                passed &= differences.isEmpty();
            } catch (Exception e) {
                outcome.put("restored", false);
                outcome.put("error", e.toString());
                passed = false;
            }
            perComponent.put(name, outcome);
        }
        Duration took = Duration.between(started, clock.instant());
        metrics.restored(took);
        result.put("passed", passed);
        result.put("duration_ms", took.toMillis());
        result.put("results", perComponent);
        result.put("finished_at", clock.instant().toString());
        catalog.restored(id, json.writeValueAsString(result));
        audit.record(actor, "backup.restore", id, passed ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, passed ? null : "see results",
                Map.of("components", names, "target", result.get("target"), "duration_ms", took.toMillis()));
        return result;
    }

    /** The manifest as stored with the artifact. */
    public Manifest manifest(BackupRun run) {
        BackupTarget target = targets.get(run.target(), "target");
        try (InputStream in = target.open(run.location(), Manifest.FILE_NAME)) {
            return json.readValue(in, Manifest.class);
        } catch (Exception e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "backup " + run.id() + ": manifest.json cannot be read: " + e.getMessage(),
                    "artifact_corrupt", "id");
        }
    }

    private ArtifactReader reader(BackupRun run) {
        return new ArtifactReader(targets.get(run.target(), "target"), run.location(), manifest(run), settings.encryption().cipher());
    }

    private BackupRun finished(String id) {
        BackupRun run = catalog.find(id).orElseThrow(() -> ApiException.notFound("backup " + id + " does not exist"));
        if (run.status() != BackupRun.Status.SUCCEEDED) {
            throw new ApiException(HttpStatus.CONFLICT, "backup " + id + " is " + run.status().wire() + "; only a succeeded backup can be verified or restored",
                    "backup_not_usable", "id");
        }
        return run;
    }

    private BackupComponent component(String name) {
        return components.get(name);
    }

    private static String token() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    private static String describe(List<ArtifactReader.FileProblem> problems, Map<String, Object> perComponent) {
        List<String> parts = new ArrayList<>();
        problems.forEach(p -> parts.add(p.file() + ": " + p.problem()));
        perComponent.forEach((name, outcome) -> {
            if (outcome instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("passed"))) {
                parts.add(name + ": " + (m.containsKey("error") ? m.get("error") : m.get("differences")));
            }
        });
        return String.join("; ", parts);
    }
}
