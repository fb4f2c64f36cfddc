package ai.sovereign.backup.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /api/v1/backups/retention/apply} did (or, with {@code dry_run}, would do); empty lists are shown,
 * not left out.
 *
 * @param keep    run id → why it is kept, newest first
 * @param delete  the runs past the policy, newest first
 * @param deleted the runs deleted now (none in a dry run)
 * @param errors  the runs whose deletion failed, with why
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RetentionResult(
        boolean dryRun,
        Policy policy,
        Map<String, List<String>> keep,
        List<String> delete,
        List<String> deleted,
        List<Failure> errors) {

    /** The policy applied ({@code backup.retention.*}). */
    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Policy(int keepDaily, int keepWeekly, int keepMonthly, String minAge) {

        static Policy of(RetentionPolicy policy) {
            return new Policy(
                    policy.keepDaily(),
                    policy.keepWeekly(),
                    policy.keepMonthly(),
                    policy.minAge().toString());
        }
    }

    /** A run that could not be deleted. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Failure(String id, @Nullable String error) {}
}
