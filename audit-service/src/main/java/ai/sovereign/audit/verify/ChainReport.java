package ai.sovereign.audit.verify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/** The verification of one chain: what was walked and the first break, if any. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record ChainReport(
        int chain,
        String status,
        long eventsChecked,
        @Nullable Long firstSeq,
        @Nullable Long lastSeq,
        int checkpointsChecked,
        @Nullable ChainBreak firstBreak,
        List<String> warnings) {

    public boolean ok() {
        return firstBreak == null;
    }
}
