package ai.sovereign.backup.postgres;

import ai.sovereign.backup.artifact.ArtifactException;
import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.MultisetHash;
import ai.sovereign.backup.run.BackupComponent;
import ai.sovereign.backup.run.ContentSummary;
import ai.sovereign.backup.run.RestoreOutcome;
import ai.sovereign.backup.run.RestoreScope;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every service schema of the database in one consistent snapshot: a {@code REPEATABLE READ READ ONLY} transaction
 * reads the catalog (DDL) and {@code COPY ... TO STDOUT} of every leaf table. Restore runs in one transaction: drop
 * and recreate each schema (or create scratch schemas), pre-data DDL, {@code COPY FROM}, sequence positions,
 * post-data DDL; then the restored rows are hashed in the same transaction, and a discarded scratch restore rolls back.
 */
public final class PostgresComponent implements BackupComponent {

    public static final String NAME = "postgres";
    static final String DDL_FILE = "postgres-ddl.json";
    private static final String SCRATCH_PREFIX = "backup_scratch_";

    private final DataSource dataSource;
    private final List<String> excludedSchemas;
    private final JsonMapper json;

    public PostgresComponent(DataSource dataSource, List<String> excludedSchemas, JsonMapper json) {
        this.dataSource = dataSource;
        this.excludedSchemas = List.copyOf(excludedSchemas);
        this.json = json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentManifest backup(ArtifactWriter writer) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                String version = serverVersion(c);
                List<SchemaDdl> schemas = new ArrayList<>();
                Map<String, Long> counts = new TreeMap<>();
                Map<String, String> hashes = new TreeMap<>();
                List<String> files = new ArrayList<>();
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                int nextFile = 1;
                List<String> skipped = new ArrayList<>();
                for (String[] schema : schemas(c, skipped)) {
                    SchemaDdl ddl = CatalogReader.read(c, schema[0], schema[1], nextFile);
                    nextFile += ddl.tables().size();
                    schemas.add(ddl);
                    for (SchemaDdl.TableCopy table : ddl.tables()) {
                        MultisetHash hash = new MultisetHash();
                        try (OutputStream out = writer.create(NAME, table.file())) {
                            CopyOut rows = copy.copyOut(copyOutSql(ddl.quoted(), table));
                            for (byte[] row; (row = rows.readFromCopy()) != null; ) {
                                hash.add(row);
                                out.write(row);
                            }
                        }
                        String part = schema[0] + "." + table.table();
                        counts.put(part, hash.count());
                        hashes.put(part, hash.hex());
                        files.add(table.file());
                    }
                }
                try (OutputStream out = writer.create(NAME, DDL_FILE)) {
                    out.write(json.writeValueAsBytes(schemas));
                }
                files.add(DDL_FILE);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("schemas", schemas.stream().map(SchemaDdl::schema).toList());
                details.put("snapshot", "REPEATABLE READ READ ONLY");
                details.put("skipped_schemas", skipped);
                List<String> warnings = new ArrayList<>();
                skipped.forEach(schema -> warnings.add("schema " + schema + " is not backed up"));
                schemas.forEach(s -> s.warnings().forEach(w -> warnings.add(s.schema() + ": " + w)));
                details.put("warnings", warnings);
                return new ComponentManifest(NAME, files, counts, hashes, version, details);
            } finally {
                c.rollback();
            }
        }
    }

    @Override
    public RestoreOutcome restore(ArtifactReader reader, ComponentManifest manifest, RestoreScope scope)
            throws Exception {
        List<SchemaDdl> schemas;
        try (InputStream in = reader.open(DDL_FILE)) {
            schemas = json.readValue(in, new TypeReference<List<SchemaDdl>>() {});
        }
        java.util.Set<String> keptLive = scope instanceof RestoreScope.Original o ? o.keptLive() : java.util.Set.of();
        schemas = schemas.stream().filter(s -> !keptLive.contains(s.schema())).toList();
        List<String> refused = new ArrayList<>();
        schemas.forEach(s -> refused.addAll(DdlAllowList.problems(s)));
        if (!refused.isEmpty()) {
            throw new ArtifactException(
                    DDL_FILE,
                    "holds statements a restore does not run, nothing restored: " + String.join("; ", refused));
        }
        boolean credentialsRestored = scope instanceof RestoreScope.Original
                && schemas.stream().anyMatch(s -> s.schema().equals(ApiKeyState.SCHEMA));
        Map<String, String> names = new LinkedHashMap<>();
        for (SchemaDdl s : schemas) {
            names.put(
                    s.schema(),
                    switch (scope) {
                        case RestoreScope.Original o -> s.schema();
                        case RestoreScope.Scratch sc -> scratchName(sc.token(), s.schema());
                    });
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            boolean commit = false;
            try {
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                // revocations and rotations made after the backup survive a restore in place
                List<ApiKeyState.Live> liveKeys = credentialsRestored ? ApiKeyState.read(c) : List.of();
                execute(c, "SET LOCAL check_function_bodies = false");
                // live sessions holding locks on a schema would make DROP SCHEMA wait forever; fail instead
                execute(c, "SET LOCAL lock_timeout = '30s'");
                for (SchemaDdl s : schemas) {
                    String target = names.get(s.schema());
                    String quotedTarget = CatalogReader.quote(target);
                    // in place, the schema is re-created as its owner, so the service finds it as it left it; a
                    // scratch copy belongs to the restoring role
                    boolean asOwner = scope instanceof RestoreScope.Original && s.owner() != null;
                    execute(c, "DROP SCHEMA IF EXISTS " + quotedTarget + " CASCADE");
                    if (asOwner) {
                        execute(
                                c,
                                "CREATE SCHEMA " + quotedTarget + " AUTHORIZATION " + CatalogReader.quote(s.owner()));
                        execute(c, "SET LOCAL ROLE " + CatalogReader.quote(s.owner()));
                    } else {
                        execute(c, "CREATE SCHEMA " + quotedTarget);
                    }
                    execute(c, "SET LOCAL search_path = " + quotedTarget);
                    for (String statement : s.preData()) {
                        execute(c, rename(statement, s, target));
                    }
                    for (SchemaDdl.TableCopy table : s.tables()) {
                        try (InputStream in = reader.open(table.file())) {
                            copy.copyIn(copyInSql(quotedTarget, table), in);
                        }
                    }
                    for (SchemaDdl.SequenceValue v : s.sequences()) {
                        try (PreparedStatement st = c.prepareStatement(
                                v.identityTable() == null
                                        ? "SELECT setval(?::regclass, ?, ?)"
                                        : "SELECT setval(pg_get_serial_sequence(?, '"
                                                + v.identityColumn().replace("'", "''") + "'), ?, ?)")) {
                            st.setString(
                                    1,
                                    CatalogReader.quote(target) + "."
                                            + CatalogReader.quote(
                                                    v.identityTable() == null ? v.sequence() : v.identityTable()));
                            st.setLong(2, v.lastValue());
                            st.setBoolean(3, v.called());
                            st.execute();
                        }
                    }
                    for (String statement : s.postData()) {
                        execute(c, statement);
                    }
                    if (asOwner) {
                        for (String statement : s.grants()) {
                            execute(c, statement);
                        }
                        execute(c, "RESET ROLE");
                    }
                }
                ContentSummary content = hashSchemas(c, schemas, names);
                int keysKept = credentialsRestored ? ApiKeyState.reapply(c, liveKeys) : 0;
                commit = scope instanceof RestoreScope.Original
                        || (scope instanceof RestoreScope.Scratch sc && sc.keep());
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("schemas", names);
                details.put("kept", commit);
                if (!keptLive.isEmpty()) {
                    details.put("kept_live", new java.util.TreeSet<>(keptLive));
                }
                if (credentialsRestored) {
                    details.put("api_keys_kept_revoked_or_rotated", keysKept);
                }
                return new RestoreOutcome(content, details);
            } finally {
                if (commit) {
                    c.commit();
                } else {
                    c.rollback();
                }
            }
        }
    }

    @Override
    public ContentSummary liveContent() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                List<SchemaDdl> schemas = new ArrayList<>();
                for (String[] schema : schemas(c, new ArrayList<>())) {
                    schemas.add(CatalogReader.read(c, schema[0], schema[1], 1));
                }
                return hashSchemas(
                        c, schemas, schemas.stream().collect(Collectors.toMap(SchemaDdl::schema, SchemaDdl::schema)));
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * The schemas a backup takes: every non-system schema except the excluded ones and scratch copies whose owner's
     * privileges the backup's login has (DatabaseRoles: the backup login is a member of every service's schema owner);
     * the others, with their owners, in {@code skipped}.
     */
    private List<String[]> schemas(Connection c, List<String> skipped) throws SQLException {
        List<String[]> out = new ArrayList<>();
        for (String[] row : CatalogReader.rows(c, """
                SELECT nspname, quote_ident(nspname), pg_has_role(nspowner, 'USAGE')::text, pg_get_userbyid(nspowner)
                FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                  AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' AND nspname NOT LIKE 'backup\\_scratch\\_%'
                ORDER BY nspname""", 4)) {
            if (excludedSchemas.contains(row[0])) {
                continue;
            }
            if ("true".equals(row[2])) {
                out.add(row);
            } else {
                skipped.add(row[0] + " (owned by " + row[3] + ", whose privileges this login does not have)");
            }
        }
        return out;
    }

    private static ContentSummary hashSchemas(Connection c, List<SchemaDdl> schemas, Map<String, String> names)
            throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (SchemaDdl s : schemas) {
            String quoted = CatalogReader.quote(names.get(s.schema()));
            for (SchemaDdl.TableCopy table : s.tables()) {
                MultisetHash hash = new MultisetHash();
                CopyOut rows = copy.copyOut(copyOutSql(quoted, table));
                for (byte[] row; (row = rows.readFromCopy()) != null; ) {
                    hash.add(row);
                }
                counts.put(s.schema() + "." + table.table(), hash.count());
                hashes.put(s.schema() + "." + table.table(), hash.hex());
            }
        }
        return new ContentSummary(counts, hashes);
    }

    static String scratchName(String token, String schema) {
        String name = SCRATCH_PREFIX + token + "_" + schema;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Functions come back qualified with their schema (pg_get_functiondef always qualifies); point them at the target. */
    private static String rename(String statement, SchemaDdl s, String target) {
        if (target.equals(s.schema())) {
            return statement;
        }
        String quotedTarget = CatalogReader.quote(target);
        return statement
                .replaceFirst(
                        "^CREATE OR REPLACE (FUNCTION|PROCEDURE) " + java.util.regex.Pattern.quote(s.quoted() + "."),
                        "CREATE OR REPLACE $1 " + java.util.regex.Matcher.quoteReplacement(quotedTarget + "."))
                .replace("search_path TO '" + s.schema() + "'", "search_path TO '" + target + "'");
    }

    private static String columns(SchemaDdl.TableCopy table) {
        return table.columns().stream().map(CatalogReader::quote).collect(Collectors.joining(", "));
    }

    private static String copyOutSql(String quotedSchema, SchemaDdl.TableCopy table) {
        return "COPY " + quotedSchema + "." + CatalogReader.quote(table.table()) + " (" + columns(table)
                + ") TO STDOUT";
    }

    private static String copyInSql(String quotedSchema, SchemaDdl.TableCopy table) {
        return "COPY " + quotedSchema + "." + CatalogReader.quote(table.table()) + " (" + columns(table)
                + ") FROM STDIN";
    }

    private static String serverVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(
                    e.getMessage() + " [while executing: " + (sql.length() > 300 ? sql.substring(0, 300) + "…" : sql)
                            + "]",
                    e.getSQLState(),
                    e);
        }
    }
}
