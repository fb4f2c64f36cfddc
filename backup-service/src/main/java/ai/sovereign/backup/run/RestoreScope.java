package ai.sovereign.backup.run;

/** Where a restore writes: a scratch space named by a token (kept or discarded afterwards), or the original store. */
public sealed interface RestoreScope {

    /** A scratch PostgreSQL schema per schema, a scratch label space in Neo4j; {@code keep=false} removes it after the comparison. */
    record Scratch(String token, boolean keep) implements RestoreScope {}

    /**
     * Replaces the live data, except the PostgreSQL schemas in {@code keptLive}, which stay as they are.
     */
    record Original(java.util.Set<String> keptLive) implements RestoreScope {

        public Original {
            keptLive = java.util.Set.copyOf(keptLive);
        }
    }
}
