package ai.sovereign.ingestion.entity.llm;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code ingestion.entities.llm.*}, used when {@code ingestion.entities.mode=llm}: the router's {@code model}, how the
 * JSON is asked for ({@code tool-choice}: {@code required} forces the {@code record_entities} tool, {@code auto} lets
 * the model choose — for backends that ignore a forced choice —, {@code none} asks for the JSON in the message content
 * with {@code response_format: json_schema}, for models without tools), the {@code timeout} of one call and
 * {@code max-entities} kept per chunk.
 */
@ConfigurationProperties("ingestion.entities.llm")
public record LlmEntitySettings(
        @Bindable(defaultValue = "llama3.1:8b") String model,
        @Bindable(defaultValue = "required") String toolChoice,
        @Bindable(defaultValue = "60s") Duration timeout,
        @Bindable(defaultValue = "50") int maxEntities) {

    public LlmEntitySettings {
        if (!toolChoice.equals("required") && !toolChoice.equals("auto") && !toolChoice.equals("none")) {
            throw new IllegalArgumentException(
                    "ingestion.entities.llm.tool-choice must be required, auto or none (got " + toolChoice + ")");
        }
        if (maxEntities < 1) {
            throw new IllegalArgumentException(
                    "ingestion.entities.llm.max-entities must be >= 1 (got " + maxEntities + ")");
        }
    }
}
