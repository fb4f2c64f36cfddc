package ai.sovereign.ingestion.entity;

import java.util.List;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * {@code ingestion.entities.mode}: {@code deterministic} (default, {@link PatternEntityExtractor}) or {@code off}.
 * LLM extraction through the router is not built yet; asking for it fails at start with this message.
 */
@Factory
public class EntityFactory {

    @Singleton
    EntityExtractor entityExtractor(@Value("${ingestion.entities.mode:deterministic}") String mode) {
        return switch (mode) {
            case "deterministic" -> new PatternEntityExtractor();
            case "off" -> text -> List.of();
            default -> throw new IllegalArgumentException(
                    "ingestion.entities.mode must be deterministic or off (got " + mode + "); llm is not available yet");
        };
    }
}
