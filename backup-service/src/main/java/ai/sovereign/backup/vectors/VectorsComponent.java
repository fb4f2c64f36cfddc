package ai.sovereign.backup.vectors;

import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.MultisetHash;
import ai.sovereign.backup.run.BackupComponent;
import ai.sovereign.backup.run.ContentSummary;
import ai.sovereign.backup.run.RestoreOutcome;
import ai.sovereign.backup.run.RestoreScope;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every vector with its fields through the {@link VectorSource} port, as one NDJSON file. A scratch restore imports the
 * file into a scratch collection and hashes what that collection gives back; an original restore replaces the store's
 * content and hashes a fresh export.
 */
public final class VectorsComponent implements BackupComponent {

    public static final String NAME = "vectors";
    static final String FILE = "vectors.ndjson";

    private final VectorSource source;
    private final JsonMapper json;

    public VectorsComponent(VectorSource source, JsonMapper json) {
        this.source = source;
        this.json = json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentManifest backup(ArtifactWriter writer) throws Exception {
        MultisetHash hash = new MultisetHash();
        try (InputStream in = source.export();
                OutputStream out = writer.create(NAME, FILE)) {
            hashLines(in, hash, out);
        }
        return new ComponentManifest(
                NAME,
                List.of(FILE),
                Map.of("vectors", hash.count()),
                Map.of("vectors", hash.hex()),
                source.describe(),
                Map.of());
    }

    @Override
    public RestoreOutcome restore(ArtifactReader reader, ComponentManifest manifest, RestoreScope scope)
            throws Exception {
        if (scope instanceof RestoreScope.Original) {
            long imported;
            try (InputStream in = reader.open(FILE)) {
                imported = source.replaceAll(in);
            }
            return new RestoreOutcome(liveContent(), Map.of("imported", imported));
        }
        // verification by restore: the artifact goes into a scratch collection of the vector store, is read back from
        // it
        // and hashed; the serving collection is not touched, and the scratch is dropped when its export is closed
        MultisetHash hash = new MultisetHash();
        try (InputStream in = reader.open(FILE);
                InputStream restored = source.restoreIntoScratch(in)) {
            hashLines(restored, hash, null);
        }
        return new RestoreOutcome(
                new ContentSummary(Map.of("vectors", hash.count()), Map.of("vectors", hash.hex())),
                Map.of(
                        "scratch",
                        "restored into a scratch collection of " + source.describe()
                                + ", read back and hashed; dropped after"));
    }

    @Override
    public ContentSummary liveContent() throws Exception {
        MultisetHash hash = new MultisetHash();
        try (InputStream in = source.export()) {
            hashLines(in, hash, null);
        }
        return new ContentSummary(Map.of("vectors", hash.count()), Map.of("vectors", hash.hex()));
    }

    /** Each line is re-serialised canonically (sorted keys) before hashing, so the hash does not depend on key order. */
    private void hashLines(InputStream in, MultisetHash hash, OutputStream out) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            Object value = json.readValue(line, java.util.TreeMap.class);
            byte[] canonical = json.writeValueAsBytes(value);
            hash.add(canonical);
            if (out != null) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
    }
}
