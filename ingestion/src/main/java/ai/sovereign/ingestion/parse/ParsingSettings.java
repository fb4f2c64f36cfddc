package ai.sovereign.ingestion.parse;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code ingestion.parsing.max-characters}: the most text one document may unpack to (zip bombs stop here).
 * {@code ingestion.parsing.trust-text-names}: files named as text ({@code .txt}, {@code .text}, {@code .md},
 * {@code .markdown}) whose content is clean UTF-8 text without markup or a document signature at the start skip Tika's
 * content detection ({@code false}: every file goes through it).
 */
@ConfigurationProperties("ingestion.parsing")
public record ParsingSettings(
        @Bindable(defaultValue = "20000000") int maxCharacters,
        @Bindable(defaultValue = "true") boolean trustTextNames) {

    public ParsingSettings {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException(
                    "ingestion.parsing.max-characters must be >= 1 (got " + maxCharacters + ")");
        }
    }

    public ParsingSettings(int maxCharacters) {
        this(maxCharacters, true);
    }
}
