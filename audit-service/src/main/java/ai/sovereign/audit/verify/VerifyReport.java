package ai.sovereign.audit.verify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * The answer of {@code GET /api/v1/audit/verify}: {@code OK} with counts, or {@code BROKEN} with the first break
 * (lowest chain, then lowest seq) and every chain's own first break.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record VerifyReport(
        String status,
        String verifiedAt,
        @Nullable String from,
        @Nullable String to,
        int chains,
        long eventsChecked,
        int checkpointsChecked,
        @Nullable ChainBreak firstBreak,
        List<ChainReport> chainReports) {

    public boolean ok() {
        return firstBreak == null;
    }
}
