package ai.sovereign.ingestion.entity;

import ai.sovereign.ingestion.entity.llm.LlmEntityExtractor;
import ai.sovereign.ingestion.entity.llm.LlmEntitySettings;
import ai.sovereign.ingestion.router.RouterSettings;
import ai.sovereign.ingestion.router.RouterTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ingestion.entities.mode}: {@code deterministic} (default, {@link PatternEntityExtractor}), {@code llm}
 * ({@link LlmEntityExtractor} through the router, settings {@code ingestion.entities.llm.*}) or {@code off}.
 */
@Factory
public class EntityFactory {

    @Singleton
    EntityExtractor entityExtractor(
            EntitySettings settings,
            BeanProvider<LlmEntitySettings> llm,
            RouterSettings router,
            RouterTokens tokens,
            MeterRegistry registry,
            JsonMapper json) {
        return switch (settings.mode()) {
            case "deterministic" -> new PatternEntityExtractor();
            case "llm" -> new LlmEntityExtractor(router.url(), llm.get(), tokens::forTenant, registry, json);
            case "off" -> text -> List.of();
            default -> throw new IllegalStateException("unhandled ingestion.entities.mode " + settings.mode());
        };
    }
}
