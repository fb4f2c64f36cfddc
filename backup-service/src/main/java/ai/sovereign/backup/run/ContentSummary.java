package ai.sovereign.backup.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Counts and order-independent content hashes of a component's data, keyed by part (table, nodes, relationships). */
public record ContentSummary(Map<String, Long> counts, Map<String, String> hashes) {

    /** Differences from {@code expected}, one line per part that differs; empty when equal. */
    public List<String> differencesFrom(ContentSummary expected) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> parts = new TreeSet<>(expected.counts.keySet());
        parts.addAll(counts.keySet());
        for (String part : parts) {
            Long want = expected.counts.get(part);
            Long got = counts.get(part);
            if (want == null) {
                problems.add(part + ": present after restore but not in the backup");
            } else if (got == null) {
                problems.add(part + ": in the backup (" + want + ") but missing after restore");
            } else if (!want.equals(got)) {
                problems.add(part + ": count " + got + " after restore, " + want + " in the backup");
            } else if (!String.valueOf(expected.hashes.get(part)).equals(String.valueOf(hashes.get(part)))) {
                problems.add(part + ": content hash differs after restore");
            }
        }
        return problems;
    }
}
