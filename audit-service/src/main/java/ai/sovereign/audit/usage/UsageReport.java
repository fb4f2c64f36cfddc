package ai.sovereign.audit.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/** The answer of {@code GET /api/v1/audit/usage}: one row per group, largest token use first. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record UsageReport(
        String groupBy, @Nullable String from, @Nullable String to, List<UsageTotals> data) {}
