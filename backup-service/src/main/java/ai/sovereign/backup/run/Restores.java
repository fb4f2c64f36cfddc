package ai.sovereign.backup.run;

import ai.sovereign.backup.BackupSettings;
import ai.sovereign.backup.artifact.ArtifactException;
import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.Manifest;
import ai.sovereign.backup.artifact.ManifestFile;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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

    public Restores(
            BackupCatalog catalog,
            Targets targets,
            Components components,
            BackupSettings settings,
            BackupMetrics metrics,
            BackupAudit audit,
            BackupRunner runner,
            JsonMapper json) {
        this.catalog = catalog;
        this.targets = targets;
        this.components = components;
        this.settings = settings;
        this.metrics = metrics;
        this.audit = audit;
        this.runner = runner;
        this.json = json;
    }

    /**
     * The schemas a restore into the original stores leaves as they are unless asked for by name with their own
     * confirmation: the audit trail (a restore must not rewrite history).
     */
    public static final java.util.Set<String> PROTECTED_SCHEMAS = java.util.Set.of("audit");

    /**
     * What a restore request asks for; {@code protectedSchemas} (with {@code confirmProtected} = {@code
     * <id>/<schema>[,<schema>…]}) are restored into the original too.
     */
    public record RestoreRequest(
            List<String> components,
            boolean original,
            boolean dryRun,
            String confirm,
            List<String> protectedSchemas,
            String confirmProtected) {

        public RestoreRequest {
            protectedSchemas = protectedSchemas == null ? List.of() : List.copyOf(protectedSchemas);
        }
    }

    /** The protected schemas that stay live in a restore into the original stores, after checking what was asked. */
    private static java.util.Set<String> keptLive(String id, RestoreRequest request) {
        if (!request.original()) {
            return java.util.Set.of();
        }
        java.util.TreeSet<String> unlocked = new java.util.TreeSet<>(request.protectedSchemas());
        for (String schema : unlocked) {
            if (!PROTECTED_SCHEMAS.contains(schema)) {
                throw ApiException.badRequest(
                        "protected_schemas: only " + new java.util.TreeSet<>(PROTECTED_SCHEMAS)
                                + " are protected (got '" + schema + "')",
                        "protected_schemas");
            }
        }
        String expected = id + "/" + String.join(",", unlocked);
        if (!unlocked.isEmpty() && !request.dryRun() && !expected.equals(request.confirmProtected())) {
            throw ApiException.badRequest(
                    "confirm_protected must be \"" + expected + "\" to restore " + unlocked
                            + " into the original stores; this rewrites the audit trail to the backup's",
                    "confirm_protected");
        }
        java.util.Set<String> kept = new java.util.TreeSet<>(PROTECTED_SCHEMAS);
        kept.removeAll(unlocked);
        return kept;
    }

    /** What a component's restore is compared with: for postgres, the manifest without the schemas kept live. */
    private static ContentSummary expected(String name, ComponentManifest cm, java.util.Set<String> keptLive) {
        if (!name.equals("postgres") || keptLive.isEmpty()) {
            return new ContentSummary(cm.counts(), cm.contentHashes());
        }
        java.util.function.Predicate<String> restored =
                part -> keptLive.stream().noneMatch(schema -> part.startsWith(schema + "."));
        Map<String, Long> counts = new java.util.TreeMap<>();
        Map<String, String> hashes = new java.util.TreeMap<>();
        cm.counts().forEach((part, count) -> {
            if (restored.test(part)) {
                counts.put(part, count);
            }
        });
        cm.contentHashes().forEach((part, hash) -> {
            if (restored.test(part)) {
                hashes.put(part, hash);
            }
        });
        return new ContentSummary(counts, hashes);
    }

    public VerifyReport verify(String id, BackupAudit.Actor actor) {
        BackupRun run = finished(id);
        ArtifactReader reader;
        try {
            reader = reader(trustedManifest(run), run);
        } catch (ArtifactException e) {
            // the manifest is the one file whose problem stops everything: nothing else is read
            List<ArtifactReader.FileProblem> problems = List.of(new ArtifactReader.FileProblem(e.file(), e.problem()));
            run.components().forEach(n -> metrics.verified(n, false));
            return recordVerify(id, 0, false, problems, Map.of(), actor);
        }
        List<String> names = reader.manifest().componentNames();
        List<ArtifactReader.FileProblem> problems = reader.checkFiles(names);
        Map<String, VerifyReport.ComponentCheck> perComponent = new LinkedHashMap<>();
        boolean passed = problems.isEmpty();
        if (passed) {
            String token = token();
            for (String name : names) {
                VerifyReport.ComponentCheck check;
                try {
                    ComponentManifest cm = reader.manifest().components().get(name);
                    RestoreOutcome restored =
                            component(name).restore(reader, cm, new RestoreScope.Scratch(token, false));
                    List<String> differences =
                            restored.content().differencesFrom(new ContentSummary(cm.counts(), cm.contentHashes()));
                    check = VerifyReport.ComponentCheck.compared(
                            restored.content().counts(), differences);
                } catch (Exception e) {
                    check = VerifyReport.ComponentCheck.failed(e);
                }
                passed &= check.passed();
                metrics.verified(name, check.passed());
                perComponent.put(name, check);
            }
        } else {
            names.forEach(n -> metrics.verified(n, false));
        }
        return recordVerify(id, reader.manifest().files().size(), passed, problems, perComponent, actor);
    }

    private VerifyReport recordVerify(
            String id,
            int files,
            boolean passed,
            List<ArtifactReader.FileProblem> problems,
            Map<String, VerifyReport.ComponentCheck> perComponent,
            BackupAudit.Actor actor) {
        Instant at = clock.instant();
        VerifyReport report = new VerifyReport(id, files, passed, problems, perComponent, at.toString());
        catalog.verified(id, passed, at, json.writeValueAsString(report));
        audit.record(
                actor,
                "backup.verify",
                id,
                passed ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE,
                passed ? null : describe(problems, perComponent),
                Map.of("passed", passed));
        return report;
    }

    public RestoreReport restore(String id, RestoreRequest request, BackupAudit.Actor actor) {
        BackupRun run = finished(id);
        ArtifactReader reader = reader(run);
        List<String> available = reader.manifest().componentNames();
        List<String> names =
                request.components() == null || request.components().isEmpty() ? available : request.components();
        for (String name : names) {
            if (!available.contains(name)) {
                throw ApiException.badRequest(
                        "components: backup " + id + " has " + available + ", not '" + name + "'", "components");
            }
            if (component(name) == null) {
                throw ApiException.badRequest(
                        "components: " + name + " is not configured in this service", "components");
            }
        }
        java.util.Set<String> keptLive = keptLive(id, request);
        if (request.original() && !request.dryRun() && !id.equals(request.confirm())) {
            throw ApiException.badRequest(
                    "confirm must be the backup id (\"" + id + "\") to restore into the original stores; "
                            + "this replaces live data",
                    "confirm");
        }
        List<ArtifactReader.FileProblem> problems = reader.checkFiles(names);
        if (!problems.isEmpty()) {
            audit.record(
                    actor,
                    "backup.restore",
                    id,
                    AuditEvent.Outcome.FAILURE,
                    describe(problems, Map.of()),
                    Map.of("components", names));
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "backup " + id + " is damaged, restore refused: " + describe(problems, Map.of()),
                    "artifact_corrupt",
                    "id");
        }
        String target = request.original() ? "original" : "scratch";
        if (request.dryRun()) {
            Map<String, Map<String, Long>> plan = new LinkedHashMap<>();
            for (String name : names) {
                plan.put(
                        name,
                        expected(name, reader.manifest().components().get(name), keptLive)
                                .counts());
            }
            return RestoreReport.plan(id, target, names, plan);
        }
        for (String name : names) {
            if (runner.isBusy(name)) {
                throw new ApiException(
                        HttpStatus.CONFLICT,
                        "a backup of " + name + " is running; restore after it finishes",
                        "backup_in_progress",
                        "components");
            }
        }
        if (request.original()) {
            try {
                audit.recordBefore(
                        actor,
                        "backup.restore.start",
                        id,
                        scope(names, "original", keptLive, request),
                        Duration.ofSeconds(15));
            } catch (Exception e) {
                throw new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "the audit event could not be written, restore not started: " + e.getMessage(),
                        "audit_unavailable",
                        null);
            }
        }
        String token = token();
        Instant started = clock.instant();
        Map<String, RestoreReport.ComponentRestore> perComponent = new LinkedHashMap<>();
        boolean passed = true;
        for (String name : names) {
            RestoreReport.ComponentRestore outcome;
            try {
                ComponentManifest cm = reader.manifest().components().get(name);
                RestoreScope scope = request.original()
                        ? new RestoreScope.Original(keptLive)
                        : new RestoreScope.Scratch(token, true);
                RestoreOutcome restored = component(name).restore(reader, cm, scope);
                List<String> differences = restored.content().differencesFrom(expected(name, cm, keptLive));
                outcome = RestoreReport.ComponentRestore.compared(
                        differences, restored.content().counts(), restored.details());
                passed &= differences.isEmpty();
            } catch (Exception e) {
                outcome = RestoreReport.ComponentRestore.failed(e);
                passed = false;
            }
            perComponent.put(name, outcome);
        }
        Duration took = Duration.between(started, clock.instant());
        metrics.restored(took);
        RestoreReport report = RestoreReport.done(
                id,
                target,
                names,
                passed,
                took.toMillis(),
                perComponent,
                clock.instant().toString());
        catalog.restored(id, json.writeValueAsString(report));
        audit.record(
                actor,
                "backup.restore",
                id,
                passed ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE,
                passed ? null : "see results",
                withDuration(scope(names, target, keptLive, request), took));
        return report;
    }

    /**
     * What a restore's audit events record: components, target, the protected schemas kept live or restored with
     * their own confirmation, and the confirmation the request carried.
     */
    private static Map<String, Object> scope(
            List<String> names, String target, java.util.Set<String> keptLive, RestoreRequest request) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("components", names);
        scope.put("target", target);
        scope.put("kept_live", List.copyOf(keptLive));
        scope.put("protected_schemas_restored", request.protectedSchemas());
        scope.put("confirm", request.confirm() == null ? "" : request.confirm());
        scope.put("confirm_protected", request.confirmProtected() == null ? "" : request.confirmProtected());
        return scope;
    }

    private static Map<String, Object> withDuration(Map<String, Object> scope, Duration took) {
        scope.put("duration_ms", took.toMillis());
        return scope;
    }

    /** The manifest as stored with the artifact, its signature checked before anything else is read. */
    public Manifest manifest(BackupRun run) {
        try {
            return trustedManifest(run);
        } catch (ArtifactException e) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "backup " + run.id() + " is damaged or not trusted, nothing read from it: " + e.getMessage(),
                    "artifact_corrupt",
                    "id");
        }
    }

    private Manifest trustedManifest(BackupRun run) throws ArtifactException {
        BackupTarget target = targets.get(run.target(), "target");
        return ManifestFile.read(target, run.location(), run.id(), settings.manifestSigningKey(), json);
    }

    private ArtifactReader reader(BackupRun run) {
        return reader(manifest(run), run);
    }

    private ArtifactReader reader(Manifest manifest, BackupRun run) {
        return new ArtifactReader(
                targets.get(run.target(), "target"),
                run.location(),
                manifest,
                settings.encryption().cipher());
    }

    private BackupRun finished(String id) {
        BackupRun run = catalog.find(id).orElseThrow(() -> ApiException.notFound("backup " + id + " does not exist"));
        if (run.status() != BackupRun.Status.SUCCEEDED) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "backup " + id + " is " + run.status().wire()
                            + "; only a succeeded backup can be verified or restored",
                    "backup_not_usable",
                    "id");
        }
        return run;
    }

    private BackupComponent component(String name) {
        return components.get(name);
    }

    private static String token() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    private static String describe(
            List<ArtifactReader.FileProblem> problems, Map<String, VerifyReport.ComponentCheck> perComponent) {
        List<String> parts = new ArrayList<>();
        problems.forEach(p -> parts.add(p.file() + ": " + p.problem()));
        perComponent.forEach((name, check) -> {
            if (!check.passed()) {
                parts.add(name + ": " + (check.error() != null ? check.error() : check.differences()));
            }
        });
        return String.join("; ", parts);
    }
}
