package ai.sovereign.backup.postgres;

import java.util.List;

/**
 * One schema as reconstructed from the catalog, in restore order: {@code preData} (enum types, sequences, functions,
 * tables, partitions), the data of each leaf table, sequence positions, then {@code postData} (constraints with
 * foreign keys last, indexes, triggers, views, sequence ownership). Statements are generated with the schema as the
 * only search path, so names inside are unqualified and the schema can be restored under another name.
 */
public record SchemaDdl(
        String schema,
        String quoted,
        List<String> preData,
        List<TableCopy> tables,
        List<SequenceValue> sequences,
        List<String> postData,
        List<String> warnings) {

    /** A leaf table's data file and the columns it holds (generated columns excluded). */
    public record TableCopy(String table, List<String> columns, String file) {}

    /** A sequence position; identity sequences are named by their table and column. */
    public record SequenceValue(
            String sequence, String identityTable, String identityColumn, long lastValue, boolean called) {}
}
