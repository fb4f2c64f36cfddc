package ai.sovereign.backup.artifact;

import java.util.List;
import java.util.Map;

/**
 * What one component wrote: its files, its counts (rows per table, nodes, relationships, ...), the order-independent
 * content hash of each part (compared after a restore), the source server's version and component-specific details
 * (the PostgreSQL layout: schemas, tables, file per table).
 */
public record ComponentManifest(
        String component,
        List<String> files,
        Map<String, Long> counts,
        Map<String, String> contentHashes,
        String serverVersion,
        Map<String, Object> details) {}
