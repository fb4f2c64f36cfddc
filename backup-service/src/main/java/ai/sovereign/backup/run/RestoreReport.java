package ai.sovereign.backup.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /api/v1/backups/{id}/restore} did: a dry run's plan ({@code dry_run}, {@code files_checked},
 * {@code would_restore}) or a restore's results ({@code passed}, {@code duration_ms}, {@code results},
 * {@code finished_at}); the fields of the other kind are left out. A restore's report is also kept in the catalog as
 * the run's {@code last_restore} (written with the platform's Jackson mapper, hence Jackson's annotations, which
 * micronaut-serde reads too).
 *
 * @param target       {@code scratch} or {@code original}
 * @param wouldRestore component → the counts its restore would bring back
 * @param results      component → what its restore did
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreReport(
        String id,
        String target,
        List<String> components,
        @JsonProperty("dry_run") @Nullable Boolean dryRun,
        @JsonProperty("files_checked") @Nullable String filesChecked,
        @JsonProperty("would_restore") @Nullable Map<String, Map<String, Long>> wouldRestore,
        @Nullable Boolean passed,
        @JsonProperty("duration_ms") @Nullable Long durationMs,
        @Nullable Map<String, ComponentRestore> results,
        @JsonProperty("finished_at") @Nullable String finishedAt) {

    static RestoreReport plan(
            String id, String target, List<String> components, Map<String, Map<String, Long>> wouldRestore) {
        return new RestoreReport(
                id, target, components, true, "all checksums match", wouldRestore, null, null, null, null);
    }

    static RestoreReport done(
            String id,
            String target,
            List<String> components,
            boolean passed,
            long durationMs,
            Map<String, ComponentRestore> results,
            String finishedAt) {
        return new RestoreReport(id, target, components, null, null, null, passed, durationMs, results, finishedAt);
    }

    /** One component's restore: what it brought back compared with the manifest, or the error that stopped it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentRestore(
            boolean restored,
            @JsonProperty("matches_backup") @Nullable Boolean matchesBackup,
            @Nullable List<String> differences,
            @Nullable Map<String, Long> counts,
            @Nullable Map<String, Object> details,
            @Nullable String error) {

        static ComponentRestore compared(
                List<String> differences, Map<String, Long> counts, Map<String, Object> details) {
            return new ComponentRestore(true, differences.isEmpty(), differences, counts, details, null);
        }

        static ComponentRestore failed(Exception e) {
            return new ComponentRestore(false, null, null, null, null, e.toString());
        }
    }
}
