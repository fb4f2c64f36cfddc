package ai.sovereign.backup.testsupport;

import java.time.Duration;
import java.util.Map;

/**
 * For benchmarks and tests: one component's backup in a {@link ComponentBackup}.
 *
 * @param took   the component's backup call alone (reading the store, hashing, compressing, encrypting, writing)
 * @param counts what the component recorded in the manifest: rows per table, nodes, relationships, vectors
 */
public record BackupTiming(String component, Duration took, Map<String, Long> counts) {}
