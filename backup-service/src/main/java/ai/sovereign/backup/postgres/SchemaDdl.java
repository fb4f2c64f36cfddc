package ai.sovereign.backup.postgres;

import java.util.List;

/**
 * One schema as reconstructed from the catalog, in restore order: {@code preData} (enum types, sequences, functions,
 * tables, partitions), the data of each leaf table, sequence positions, then {@code postData} (constraints with
 * foreign keys last, indexes, triggers, views, sequence ownership), then the {@code grants} to other roles than the
 * {@code owner}. Statements are generated with the schema as the only search path, so names inside are unqualified and
 * the schema can be restored under another name. A restore in place re-creates the schema as its owner, so the
 * services find it as they left it; a scratch restore belongs to the restoring role and carries no grants.
 */
public record SchemaDdl(
        String schema,
        String quoted,
        String owner,
        List<String> preData,
        List<TableCopy> tables,
        List<SequenceValue> sequences,
        List<String> postData,
        List<String> grants,
        List<String> warnings) {

    /** An artifact written before owners and grants were kept has neither: restore as before (as the restoring role). */
    public SchemaDdl {
        grants = grants == null ? List.of() : grants;
    }

    /** A leaf table's data file and the columns it holds (generated columns excluded). */
    public record TableCopy(String table, List<String> columns, String file) {}

    /** A sequence position; identity sequences are named by their table and column. */
    public record SequenceValue(
            String sequence, String identityTable, String identityColumn, long lastValue, boolean called) {}
}
