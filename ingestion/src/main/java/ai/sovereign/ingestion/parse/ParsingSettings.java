package ai.sovereign.ingestion.parse;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code ingestion.parsing.max-characters}: the most text one document may unpack to (zip bombs stop here). */
@ConfigurationProperties("ingestion.parsing")
public record ParsingSettings(@Bindable(defaultValue = "20000000") int maxCharacters) {

    public ParsingSettings {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("ingestion.parsing.max-characters must be >= 1 (got " + maxCharacters + ")");
        }
    }
}
