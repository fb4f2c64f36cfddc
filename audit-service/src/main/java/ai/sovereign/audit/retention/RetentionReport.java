package ai.sovereign.audit.retention;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * What {@code POST /api/v1/audit/retention/apply} did (or, with {@code dry_run}, would do): the partitions past the
 * policy, each with its rows and, when applied, the archive it was exported to.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record RetentionReport(
        boolean dryRun, String eventsCutoff, String usageCutoff, List<Removal> partitions, List<String> warnings) {

    /** One partition past the policy. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record Removal(
            String table,
            String partition,
            String from,
            String to,
            long rows,
            @Nullable String file,
            @Nullable String sha256,
            @Nullable Long bytes,
            boolean dropped) {}
}
