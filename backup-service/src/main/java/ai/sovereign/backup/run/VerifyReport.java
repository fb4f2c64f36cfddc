package ai.sovereign.backup.run;

import ai.sovereign.backup.artifact.ArtifactReader;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /api/v1/backups/{id}/verify} found; also kept in the catalog as the run's {@code verify_result}
 * (written with the platform's Jackson mapper, hence Jackson's annotations, which micronaut-serde reads too).
 *
 * @param filesChecked files in the manifest
 * @param fileProblems changed or missing files; when there is one, no component is restored
 * @param components   component → the restore into scratch space compared with the manifest
 * @param verifiedAt   when, ISO-8601 UTC
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VerifyReport(
        String id,
        @JsonProperty("files_checked") int filesChecked,
        boolean passed,
        @JsonProperty("file_problems") List<ArtifactReader.FileProblem> fileProblems,
        Map<String, ComponentCheck> components,
        @JsonProperty("verified_at") String verifiedAt) {

    /** One component's check: its content after a scratch restore, or the error that stopped it. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentCheck(
            boolean passed,
            @Nullable Map<String, Long> counts,
            @Nullable List<String> differences,
            @Nullable String error) {

        static ComponentCheck compared(Map<String, Long> counts, List<String> differences) {
            return new ComponentCheck(differences.isEmpty(), counts, differences, null);
        }

        static ComponentCheck failed(Exception e) {
            return new ComponentCheck(false, null, null, e.toString());
        }
    }
}
