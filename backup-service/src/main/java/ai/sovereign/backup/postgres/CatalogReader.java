package ai.sovereign.backup.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reconstructs a schema's DDL from the PostgreSQL catalog ({@code pg_get_*def} functions), the way pg_dump does for
 * the objects service schemas use: enum types, sequences, functions, tables (partitioned, partitions, identity,
 * defaults, generated columns), constraints, indexes, triggers and views. Objects it does not reconstruct (domains,
 * composite types, materialized views, foreign tables, plain inheritance) are reported as warnings in the manifest.
 */
final class CatalogReader {

    private CatalogReader() {}

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Must run inside the backup's transaction; sets the search path to {@code schema} for the rest of it. */
    static SchemaDdl read(Connection c, String schema, String quoted, int firstFile) throws SQLException {
        long ns = single(c, "SELECT oid FROM pg_namespace WHERE nspname = ?", schema);
        try (PreparedStatement st = c.prepareStatement("SELECT set_config('search_path', ?, true)")) {
            st.setString(1, quoted);
            st.execute();
        }
        List<String> pre = new ArrayList<>();
        List<String> post = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        pre.addAll(strings(c, """
                SELECT format('CREATE TYPE %I AS ENUM (%s)', t.typname, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder))
                FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = ?::oid GROUP BY t.typname ORDER BY t.typname""", ns));
        List<SchemaDdl.SequenceValue> sequenceValues = new ArrayList<>();
        List<String[]> sequences = rows(c, """
                SELECT c.relname,
                       format('CREATE SEQUENCE %I AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s', c.relname,
                              format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache,
                              CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END),
                       t.relname, a.attname, d.deptype::text
                FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                LEFT JOIN pg_class t ON t.oid = d.refobjid
                LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE c.relnamespace = ?::oid ORDER BY c.relname""", 5, ns);
        for (String[] s : sequences) {
            boolean identity = "i".equals(s[4]);
            if (!identity) {
                pre.add(s[1]);
                if (s[2] != null) {
                    post.add("ALTER SEQUENCE " + quote(s[0]) + " OWNED BY " + quote(s[2]) + "." + quote(s[3]));
                }
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + quoted + "." + quote(s[0]))) {
                rs.next();
                sequenceValues.add(new SchemaDdl.SequenceValue(
                        s[0], identity ? s[2] : null, identity ? s[3] : null, rs.getLong(1), rs.getBoolean(2)));
            }
        }
        pre.addAll(strings(c, """
                SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = ?::oid AND p.prokind IN ('f', 'p')
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY p.oid""", ns));

        List<SchemaDdl.TableCopy> copies = new ArrayList<>();
        List<String> fks = new ArrayList<>();
        Map<String, String[]> tables = new LinkedHashMap<>();
        for (String[] t : rows(c, """
                SELECT c.oid::text, c.relname, c.relkind::text, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
                       (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid AND p.relnamespace = c.relnamespace LIMIT 1)
                FROM pg_class c WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p') ORDER BY c.relname""", 6, ns)) {
            tables.put(t[1], t);
        }
        Set<String> created = new LinkedHashSet<>();
        int file = firstFile;
        while (created.size() < tables.size()) {
            int before = created.size();
            for (String[] t : tables.values()) {
                if (created.contains(t[1]) || (t[5] != null && !created.contains(t[5]))) {
                    continue;
                }
                long oid = Long.parseLong(t[0]);
                List<String[]> columns = rows(c, """
                        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid),
                               a.attidentity::text, a.attgenerated::text
                        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                        WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", 6, oid);
                if (t[5] != null && t[4] != null) {
                    pre.add("CREATE TABLE " + quote(t[1]) + " PARTITION OF " + quote(t[5]) + " " + t[4]);
                } else {
                    if (t[5] != null) {
                        warnings.add("table " + t[1] + " inherits from " + t[5] + "; inheritance is not reconstructed");
                    }
                    List<String> defs = new ArrayList<>();
                    for (String[] col : columns) {
                        StringBuilder def =
                                new StringBuilder(quote(col[0])).append(' ').append(col[1]);
                        if ("s".equals(col[5])) {
                            def.append(" GENERATED ALWAYS AS (").append(col[3]).append(") STORED");
                        } else if ("a".equals(col[4])) {
                            def.append(" GENERATED ALWAYS AS IDENTITY");
                        } else if ("d".equals(col[4])) {
                            def.append(" GENERATED BY DEFAULT AS IDENTITY");
                        } else if (col[3] != null) {
                            def.append(" DEFAULT ").append(col[3]);
                        }
                        if ("true".equals(col[2])) {
                            def.append(" NOT NULL");
                        }
                        defs.add(def.toString());
                    }
                    pre.add("CREATE TABLE " + quote(t[1]) + " (\n    " + String.join(",\n    ", defs) + "\n)"
                            + (t[3] != null ? " PARTITION BY " + t[3] : ""));
                }
                if ("r".equals(t[2])) {
                    List<String> copyColumns = columns.stream()
                            .filter(col -> !"s".equals(col[5]))
                            .map(col -> col[0])
                            .toList();
                    copies.add(new SchemaDdl.TableCopy(t[1], copyColumns, String.format("postgres-%04d.copy", file++)));
                }
                for (String[] k : rows(c, """
                        SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint
                        WHERE conrelid = ?::oid AND conislocal AND conparentid = 0 AND contype IN ('p', 'u', 'c', 'f', 'x') ORDER BY conname""", 3, oid)) {
                    String stmt = "ALTER TABLE " + quote(t[1]) + " ADD CONSTRAINT " + quote(k[0]) + " "
                            + unqualify(k[2], quoted);
                    (k[1].equals("f") ? fks : post).add(stmt);
                }
                created.add(t[1]);
            }
            if (created.size() == before) {
                throw new SQLException("schema " + schema + ": cannot order the partitions of " + tables.keySet());
            }
        }
        for (String[] t : tables.values()) {
            long oid = Long.parseLong(t[0]);
            for (String index : strings(c, """
                    SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = ?::oid
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
                    AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) ORDER BY i.indexrelid""", oid)) {
                post.add(unqualify(index.replace(" ON ONLY ", " ON "), quoted));
            }
        }
        post.addAll(fks);
        for (String[] t : tables.values()) {
            for (String trigger : strings(
                    c,
                    "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = ?::oid AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname",
                    Long.parseLong(t[0]))) {
                post.add(unqualify(trigger, quoted));
            }
        }
        for (String[] v : rows(
                c,
                "SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relnamespace = ?::oid AND c.relkind = 'v' ORDER BY c.oid",
                2,
                ns)) {
            post.add("CREATE VIEW " + quote(v[0]) + " AS " + v[1]);
        }
        for (String[] u : rows(c, """
                SELECT 'relation', c.relname || ' (kind ' || c.relkind::text || ')' FROM pg_class c WHERE c.relnamespace = ?::oid AND c.relkind IN ('m', 'f')
                UNION ALL SELECT 'type', t.typname FROM pg_type t WHERE t.typnamespace = ?::oid AND (t.typtype = 'd'
                   OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class k WHERE k.oid = t.typrelid AND k.relkind = 'c')))""", 2, ns, ns)) {
            warnings.add(u[0] + " " + u[1] + " is not reconstructed");
        }
        String owner = strings(c, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE oid = ?::oid", ns)
                .getFirst();
        return new SchemaDdl(schema, quoted, owner, pre, copies, sequenceValues, post, grants(c, ns), warnings);
    }

    /**
     * The privileges the schema's owner gave other roles on the schema, its relations and its routines, as {@code
     * GRANT} statements, and a {@code REVOKE ... FROM PUBLIC} for each routine whose default {@code EXECUTE} for
     * everyone was taken away.
     */
    private static List<String> grants(Connection c, long ns) throws SQLException {
        return strings(c, """
                SELECT format('GRANT %s ON SCHEMA %I TO %s', a.privilege_type, n.nspname,
                              CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
                FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a
                WHERE n.oid = ?::oid AND a.grantee <> n.nspowner
                UNION ALL
                SELECT format('GRANT %s ON %s %I TO %s', a.privilege_type,
                              CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.relname,
                              CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
                FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
                WHERE c.relnamespace = ?::oid AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND a.grantee <> c.relowner
                UNION ALL
                SELECT format('REVOKE ALL ON ROUTINE %I(%s) FROM PUBLIC', p.proname, pg_get_function_identity_arguments(p.oid))
                FROM pg_proc p
                WHERE p.pronamespace = ?::oid AND p.proacl IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0)
                UNION ALL
                SELECT format('GRANT EXECUTE ON ROUTINE %I(%s) TO %s', p.proname, pg_get_function_identity_arguments(p.oid),
                              CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
                FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
                WHERE p.pronamespace = ?::oid AND a.grantee <> p.proowner AND a.grantee <> 0
                ORDER BY 1""", ns, ns, ns, ns);
    }

    /**
     * pg_get_indexdef (and, depending on the version, other pg_get_*def functions) qualify names with their schema
     * whatever the search path; the schema's own qualifier is removed so the statement can build the schema under
     * another name. Only the positions where a relation or function name follows are touched.
     */
    static String unqualify(String statement, String quotedSchema) {
        String q = quotedSchema + ".";
        return statement
                .replace(" ON " + q, " ON ")
                .replace(" REFERENCES " + q, " REFERENCES ")
                .replace(" FUNCTION " + q, " FUNCTION ")
                .replace(" PROCEDURE " + q, " PROCEDURE ");
    }

    private static long single(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no result for " + param);
                }
                return rs.getLong(1);
            }
        }
    }

    private static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        return rows(c, sql, 1, params).stream().map(r -> r[0]).toList();
    }

    static List<String[]> rows(Connection c, String sql, int width, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }
}
