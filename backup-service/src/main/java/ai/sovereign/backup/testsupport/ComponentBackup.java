package ai.sovereign.backup.testsupport;

import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.FileCipher;
import ai.sovereign.backup.artifact.Manifest;
import ai.sovereign.backup.artifact.ManifestFile;
import ai.sovereign.backup.graph.GraphComponent;
import ai.sovereign.backup.postgres.PostgresComponent;
import ai.sovereign.backup.run.BackupComponent;
import ai.sovereign.backup.run.ContentSummary;
import ai.sovereign.backup.run.RestoreOutcome;
import ai.sovereign.backup.run.RestoreScope;
import ai.sovereign.backup.target.filesystem.FilesystemTarget;
import ai.sovereign.backup.vectors.VectorSource;
import ai.sovereign.backup.vectors.VectorsComponent;
import ai.sovereign.runtime.json.JsonMapperFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import tools.jackson.databind.json.JsonMapper;

/**
 * For benchmarks and tests, not for the service: one backup run of the service's own components ({@code postgres},
 * {@code neo4j}, {@code vectors}) into a folder (the filesystem target), and restores from it, each call timed,
 * without the service around them (no catalog, schedule, audit event or HTTP). What the service does per component is
 * what runs here: the same component classes, artifact writer and reader (zstd, optional streaming AES-GCM, SHA-256 of the
 * stored files) and the same content comparison after a restore. Each component is backed up and restored by its own
 * call, so each is timed alone; a restore reads the manifest of what this run has backed up so far.
 */
public final class ComponentBackup {

    private static final String LOCATION = "run";
    private static final String RUN_ID = "testsupport";

    private final FilesystemTarget target;
    private final Optional<FileCipher> encryption;
    private final ArtifactWriter writer;
    // outside any application context: a mapper with the platform's settings, as the service injects
    private final JsonMapper json = JsonMapperFactory.platformMapper();
    private final Map<String, BackupComponent> components = new LinkedHashMap<>();
    private final Map<String, ComponentManifest> manifests = new LinkedHashMap<>();

    private ComponentBackup(Path folder, int zstdLevel, Optional<BackupKey> key) throws IOException {
        this.target = new FilesystemTarget(folder);
        this.encryption = key.map(k -> k.cipher);
        this.writer = new ArtifactWriter(target, LOCATION, RUN_ID, encryption, zstdLevel);
    }

    /** A run writing into {@code folder} (created if missing), zstd at {@code zstdLevel}, encrypted when a key is given. */
    public static ComponentBackup intoFolder(Path folder, int zstdLevel, Optional<BackupKey> key) throws IOException {
        return new ComponentBackup(folder, zstdLevel, key);
    }

    /** Adds the {@code postgres} component: every schema of the database but {@code excludedSchemas}. */
    public ComponentBackup withPostgres(DataSource database, List<String> excludedSchemas) {
        return add(new PostgresComponent(database, excludedSchemas, json));
    }

    /** Adds the {@code neo4j} component: the whole graph, read and written in batches of {@code batchSize}. */
    public ComponentBackup withNeo4j(Driver driver, int batchSize) {
        return add(new GraphComponent(driver, json, batchSize));
    }

    /** Adds the {@code vectors} component on {@code vectors}. */
    public ComponentBackup withVectors(VectorEndpoint vectors) {
        return add(new VectorsComponent(new EndpointSource(vectors), json));
    }

    private ComponentBackup add(BackupComponent component) {
        components.put(component.name(), component);
        return this;
    }

    /** The components added, in the order they were added (the service's order: postgres, neo4j, vectors). */
    public List<String> components() {
        return List.copyOf(components.keySet());
    }

    /** Backs up {@code component} into this run's folder. */
    public BackupTiming backup(String component) throws Exception {
        BackupComponent c = component(component);
        long t0 = System.nanoTime();
        ComponentManifest manifest = c.backup(writer);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        manifests.put(component, manifest);
        return new BackupTiming(component, took, manifest.counts());
    }

    /** Restores {@code component} over its live store (the data there is replaced), then compares the content. */
    public RestoreTiming restoreIntoOriginal(String component) throws Exception {
        return restore(component, new RestoreScope.Original(java.util.Set.of()));
    }

    /**
     * Restores {@code component} into scratch space named by {@code token} (scratch PostgreSQL schemas, a scratch label
     * space in Neo4j), compares the content, and removes the scratch space.
     */
    public RestoreTiming restoreIntoScratch(String component, String token) throws Exception {
        return restore(component, new RestoreScope.Scratch(token, false));
    }

    private RestoreTiming restore(String component, RestoreScope scope) throws Exception {
        BackupComponent c = component(component);
        ComponentManifest cm = manifests.get(component);
        if (cm == null) {
            throw new IllegalStateException(
                    component + " has not been backed up in this run: call backup(\"" + component + "\") first");
        }
        ArtifactReader reader = new ArtifactReader(target, LOCATION, manifest(), encryption);
        long t0 = System.nanoTime();
        RestoreOutcome outcome = c.restore(reader, cm, scope);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new RestoreTiming(
                component,
                took,
                outcome.content().differencesFrom(new ContentSummary(cm.counts(), cm.contentHashes())));
    }

    /** Bytes stored so far (compressed, encrypted), every file of every component. */
    public long storedBytes() {
        return writer.files().stream().mapToLong(f -> f.size()).sum();
    }

    private Manifest manifest() {
        Map<String, String> encrypted =
                encryption.map(ManifestFile::encryptionOf).orElse(null);
        return new Manifest(
                Manifest.FORMAT,
                RUN_ID,
                "testsupport",
                "",
                "",
                "zstd",
                encrypted,
                new ArrayList<>(manifests.keySet()),
                Map.copyOf(manifests),
                writer.files());
    }

    private BackupComponent component(String name) {
        BackupComponent c = components.get(name);
        if (c == null) {
            throw new IllegalArgumentException(
                    "component must be one of " + components.keySet() + " (got '" + name + "')");
        }
        return c;
    }

    /** The {@link VectorSource} port on a {@link VectorEndpoint}. */
    private record EndpointSource(VectorEndpoint endpoint) implements VectorSource {

        @Override
        public InputStream export() throws IOException {
            return endpoint.export();
        }

        @Override
        public long replaceAll(InputStream ndjson) throws IOException {
            return endpoint.replaceAll(ndjson);
        }

        @Override
        public String describe() {
            return endpoint.describe();
        }
    }
}
