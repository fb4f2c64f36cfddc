package ai.sovereign.ingestion.router;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code ingestion.router.url}: base URL of the router's OpenAI API (chat completions and remote embeddings). */
@ConfigurationProperties("ingestion.router")
public record RouterSettings(
        @Bindable(defaultValue = "http://localhost:5100") String url) {}
