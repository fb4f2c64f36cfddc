package ai.sovereign.ingestion.vector;

import java.util.Map;

import ai.sovereign.runtime.health.HealthCheck;
import ai.sovereign.runtime.health.HealthResult;
import jakarta.inject.Singleton;

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
    public HealthResult check() {
        try {
            boolean up = store.healthy();
            Map<String, Object> details = Map.of("provider", settings.provider());
            return up ? HealthResult.up(details) : HealthResult.down(details);
        } catch (RuntimeException e) {
            return HealthResult.down(Map.of("provider", settings.provider(), "error", String.valueOf(e.getMessage())));
        }
    }
}
