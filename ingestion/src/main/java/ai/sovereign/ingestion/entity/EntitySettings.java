package ai.sovereign.ingestion.entity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code ingestion.entities.mode}: {@code deterministic} (default), {@code llm} (through the router, settings
 * {@code ingestion.entities.llm.*}) or {@code off}.
 */
@ConfigurationProperties("ingestion.entities")
public record EntitySettings(
        @Bindable(defaultValue = "deterministic") String mode) {

    public EntitySettings {
        if (!mode.equals("deterministic") && !mode.equals("llm") && !mode.equals("off")) {
            throw new IllegalArgumentException(
                    "ingestion.entities.mode must be llm, deterministic or off (got " + mode + ")");
        }
    }
}
