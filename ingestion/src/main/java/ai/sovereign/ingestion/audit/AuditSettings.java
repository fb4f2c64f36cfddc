package ai.sovereign.ingestion.audit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * {@code ingestion.audit.query-text-tenants}: tenants whose search queries and chat questions may be written into
 * audit events (default none).
 */
@ConfigurationProperties("ingestion.audit")
public record AuditSettings(@Nullable List<String> queryTextTenants) {

    public AuditSettings {
        queryTextTenants = queryTextTenants == null
                ? List.of()
                : queryTextTenants.stream()
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .toList();
    }
}
