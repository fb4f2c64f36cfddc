package ai.sovereign.ingestion.vector;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import jakarta.inject.Singleton;
import java.util.Map;

/** {@code vector-store} component of {@code /health}: the configured adapter answers. */
@Singleton
public class VectorStoreHealthCheck implements HealthCheck {

    private final VectorStore store;
    private final VectorStoreSettings settings;

    public VectorStoreHealthCheck(VectorStore store, VectorStoreSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "vector-store";
    }

    @Override
    public CheckResult check() {
        try {
            boolean up = store.healthy();
            Map<String, Object> details = Map.of("provider", settings.provider());
            return up ? CheckResult.up(details) : CheckResult.down(details);
        } catch (RuntimeException e) {
            return CheckResult.down(Map.of("provider", settings.provider(), "error", String.valueOf(e.getMessage())));
        }
    }
}
