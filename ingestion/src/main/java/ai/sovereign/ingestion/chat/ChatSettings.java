package ai.sovereign.ingestion.chat;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code ingestion.chat.min-relevance}: the best chunk's cosine similarity below which the answer is "nothing relevant"
 * and no model is called (default 0.25); {@code ingestion.chat.default-model} when the request names none.
 */
@ConfigurationProperties("ingestion.chat")
public record ChatSettings(
        @Bindable(defaultValue = "0.25") double minRelevance,
        @Bindable(defaultValue = "llama3.1:8b") String defaultModel) {}
