package ai.sovereign.backup.run;

import ai.sovereign.backup.BackupSettings;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.Manifest;
import ai.sovereign.backup.artifact.ManifestFile;
import ai.sovereign.backup.audit.BackupAudit;
import ai.sovereign.backup.catalog.BackupCatalog;
import ai.sovereign.backup.catalog.BackupRun;
import ai.sovereign.backup.metrics.BackupMetrics;
import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts backup runs in the background, at most one run per component at a time in this instance (a second request
 * for a busy component is a 409), writes the artifact, then its manifest, and records the outcome in the catalog,
 * the metrics and the audit trail.
 */
@Singleton
public class BackupRunner {

    public static final String TOOL_VERSION = "sovereign-backup/0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(BackupRunner.class);
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Components components;
    private final BackupCatalog catalog;
    private final BackupSettings settings;
    private final BackupMetrics metrics;
    private final BackupAudit audit;
    private final JsonMapper json;
    private final Clock clock;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("backup-run-", 0).factory());

    public BackupRunner(
            Components components,
            BackupCatalog catalog,
            BackupSettings settings,
            BackupMetrics metrics,
            BackupAudit audit,
            JsonMapper json) {
        this.components = components;
        this.catalog = catalog;
        this.settings = settings;
        this.metrics = metrics;
        this.audit = audit;
        this.json = json;
        this.clock = Clock.systemUTC();
        int interrupted = catalog.failInterrupted(clock.instant());
        if (interrupted > 0) {
            LOG.warn("{} backup run(s) were interrupted by the last shutdown and are marked failed", interrupted);
        }
    }

    /** Reserves the components (409 if one is busy), records the run and starts it in the background. */
    public BackupRun start(
            List<String> names, BackupTarget target, String folder, String trigger, BackupAudit.Actor actor) {
        List<String> reserved = new ArrayList<>();
        for (String name : names) {
            if (!busy.add(name)) {
                reserved.forEach(busy::remove);
                throw new ApiException(
                        HttpStatus.CONFLICT,
                        "a backup of " + name + " is already running; wait for it to finish",
                        "backup_in_progress",
                        "components");
            }
            reserved.add(name);
        }
        try {
            Instant now = clock.instant();
            String id = "b-" + ID_TIME.format(now) + "-"
                    + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
            String location = folder.isEmpty() ? id : folder + "/" + id;
            try {
                target.check(location);
            } catch (java.io.IOException e) {
                throw ApiException.badRequest("path must stay inside the backup root: " + e.getMessage(), "path");
            }
            BackupRun run = new BackupRun(
                    id,
                    names,
                    target.name(),
                    location,
                    trigger,
                    BackupRun.Status.RUNNING,
                    now,
                    null,
                    null,
                    null,
                    "{}",
                    null,
                    null,
                    null,
                    null,
                    null);
            catalog.insert(run);
            executor.execute(() -> execute(run, target, actor));
            return run;
        } catch (RuntimeException e) {
            reserved.forEach(busy::remove);
            throw e;
        }
    }

    public boolean isBusy(String component) {
        return busy.contains(component);
    }

    private void execute(BackupRun run, BackupTarget target, BackupAudit.Actor actor) {
        Instant started = run.startedAt();
        ArtifactWriter writer = new ArtifactWriter(
                target, run.location(), run.id(), settings.encryption().cipher(), settings.zstdLevel());
        Map<String, ComponentManifest> done = new LinkedHashMap<>();
        Map<String, Duration> took = new LinkedHashMap<>();
        String current = null;
        try {
            for (String name : run.components()) {
                current = name;
                catalog.progress(
                        run.id(), json.writeValueAsString(Map.of("done", List.copyOf(done.keySet()), "current", name)));
                Instant t0 = clock.instant();
                done.put(name, components.get(name).backup(writer));
                took.put(name, Duration.between(t0, clock.instant()));
            }
            current = null;
            Instant finished = clock.instant();
            Map<String, String> encryption = settings.encryption()
                    .cipher()
                    .map(ManifestFile::encryptionOf)
                    .orElse(null);
            Manifest manifest = new Manifest(
                    Manifest.FORMAT,
                    run.id(),
                    TOOL_VERSION,
                    started.toString(),
                    finished.toString(),
                    "zstd",
                    encryption,
                    run.components(),
                    done,
                    writer.files());
            byte[] manifestBytes =
                    ManifestFile.write(target, run.location(), manifest, settings.manifestSigningKey(), json);
            // free before the catalog says finished: a client that sees the run done may restore at once
            run.components().forEach(busy::remove);
            catalog.succeeded(
                    run.id(),
                    finished,
                    new String(manifestBytes, java.nio.charset.StandardCharsets.UTF_8),
                    manifest.totalSize());
            catalog.progress(run.id(), json.writeValueAsString(Map.of("done", List.copyOf(done.keySet()))));
            for (String name : run.components()) {
                metrics.succeeded(name, finished.getEpochSecond(), took.get(name), manifest.componentSize(name));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("components", run.components());
            details.put("size_bytes", manifest.totalSize());
            details.put("trigger", run.trigger());
            details.put("target", run.target());
            details.put("location", run.location());
            details.put(
                    "encryption_key_id",
                    manifest.encryption() == null ? "" : manifest.encryption().get("key_id"));
            audit.record(actor, "backup.create", run.id(), AuditEvent.Outcome.SUCCESS, null, details);
            LOG.info(
                    "backup {} of {} succeeded: {} bytes in {} ms",
                    run.id(),
                    run.components(),
                    manifest.totalSize(),
                    Duration.between(started, finished).toMillis());
        } catch (Exception | Error e) {
            String message = (current == null ? "" : current + ": ") + e;
            LOG.error("backup {} failed: {}", run.id(), message, e);
            run.components().forEach(busy::remove);
            catalog.failed(run.id(), clock.instant(), message);
            for (String name : run.components()) {
                if (!done.containsKey(name)) {
                    metrics.failed(name, Duration.between(started, clock.instant()));
                }
            }
            audit.record(
                    actor,
                    "backup.create",
                    run.id(),
                    AuditEvent.Outcome.FAILURE,
                    message,
                    Map.of("components", run.components()));
        } finally {
            run.components().forEach(busy::remove);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
