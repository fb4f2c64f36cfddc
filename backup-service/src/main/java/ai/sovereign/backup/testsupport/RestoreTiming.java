package ai.sovereign.backup.testsupport;

import java.time.Duration;
import java.util.List;

/**
 * For benchmarks and tests: one component's restore from a {@link ComponentBackup}.
 *
 * @param took        the component's restore call, including the counts and content hashes it takes of what it wrote
 * @param differences how that content differs from the backup's manifest, one line per part; empty when equal
 */
public record RestoreTiming(String component, Duration took, List<String> differences) {

    /** Whether the restored content has the backup's counts and content hashes in every part. */
    public boolean contentEqual() {
        return differences.isEmpty();
    }
}
