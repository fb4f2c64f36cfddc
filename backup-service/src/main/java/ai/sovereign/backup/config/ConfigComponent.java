package ai.sovereign.backup.config;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The platform's configuration as readable JSON lines: every router config version ({@code router.config_versions})
 * and the gateway's API key metadata ({@code gateway.api_keys} without {@code key_hash}: never a hash in a
 * configuration export). Restoring into the original adds router config versions that are missing; key metadata is
 * for reading and audit only (a key cannot work without its hash: keys come back with the {@code postgres} component).
 */
public final class ConfigComponent implements BackupComponent {

    public static final String NAME = "config";
    /** Part name → (file, query). Each row is one canonical jsonb text. */
    private static final Map<String, String[]> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("router.config_versions", new String[] {
            "config-router-versions.ndjson", "SELECT to_jsonb(t)::text FROM router.config_versions t ORDER BY version"
        });
        PARTS.put("gateway.api_keys", new String[] {
            "config-gateway-keys.ndjson", "SELECT (to_jsonb(t) - 'key_hash')::text FROM gateway.api_keys t ORDER BY id"
        });
    }

    private final DataSource dataSource;

    public ConfigComponent(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentManifest backup(ArtifactWriter writer) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        List<String> files = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                for (var part : PARTS.entrySet()) {
                    MultisetHash hash = new MultisetHash();
                    try (OutputStream out = writer.create(NAME, part.getValue()[0])) {
                        for (String row : rows(c, part.getKey(), part.getValue()[1], absent)) {
                            byte[] bytes = row.getBytes(StandardCharsets.UTF_8);
                            hash.add(bytes);
                            out.write(bytes);
                            out.write('\n');
                        }
                    }
                    counts.put(part.getKey(), hash.count());
                    hashes.put(part.getKey(), hash.hex());
                    files.add(part.getValue()[0]);
                }
            } finally {
                c.rollback();
            }
        }
        return new ComponentManifest(
                NAME, files, counts, hashes, "-", Map.of("absent_tables", absent, "key_hashes", "excluded"));
    }

    @Override
    public RestoreOutcome restore(ArtifactReader reader, ComponentManifest manifest, RestoreScope scope)
            throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (var part : PARTS.entrySet()) {
            MultisetHash hash = new MultisetHash();
            List<String> lines = new ArrayList<>();
            try (InputStream in = reader.open(part.getValue()[0]);
                    BufferedReader lineReader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = lineReader.readLine()) != null; ) {
                    hash.add(line.getBytes(StandardCharsets.UTF_8));
                    lines.add(line);
                }
            }
            rows.put(part.getKey(), lines);
            counts.put(part.getKey(), hash.count());
            hashes.put(part.getKey(), hash.hex());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (scope instanceof RestoreScope.Original) {
            int added = 0;
            try (Connection c = dataSource.getConnection();
                    PreparedStatement st = c.prepareStatement("INSERT INTO router.config_versions SELECT * FROM "
                            + "jsonb_populate_record(NULL::router.config_versions, ?::jsonb) ON CONFLICT DO NOTHING")) {
                for (String row : rows.get("router.config_versions")) {
                    st.setString(1, row);
                    added += st.executeUpdate();
                }
            }
            details.put("router_versions_added", added);
            details.put("gateway_keys", "not restored: metadata only; keys come back with the postgres component");
            ContentSummary live = liveContent();
            return new RestoreOutcome(
                    new ContentSummary(
                            Map.of(
                                    "router.config_versions",
                                    live.counts().get("router.config_versions"),
                                    "gateway.api_keys",
                                    counts.get("gateway.api_keys")),
                            Map.of(
                                    "router.config_versions",
                                    live.hashes().get("router.config_versions"),
                                    "gateway.api_keys",
                                    hashes.get("gateway.api_keys"))),
                    details);
        }
        details.put("scratch", "files decoded and hashed; nothing written");
        return new RestoreOutcome(new ContentSummary(counts, hashes), details);
    }

    @Override
    public ContentSummary liveContent() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (var part : PARTS.entrySet()) {
                MultisetHash hash = new MultisetHash();
                for (String row : rows(c, part.getKey(), part.getValue()[1], new ArrayList<>())) {
                    hash.add(row.getBytes(StandardCharsets.UTF_8));
                }
                counts.put(part.getKey(), hash.count());
                hashes.put(part.getKey(), hash.hex());
            }
        }
        return new ContentSummary(counts, hashes);
    }

    private static List<String> rows(Connection c, String part, String sql, List<String> absent) throws SQLException {
        try (PreparedStatement check = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            check.setString(1, part);
            try (ResultSet rs = check.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    absent.add(part);
                    return List.of();
                }
            }
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
