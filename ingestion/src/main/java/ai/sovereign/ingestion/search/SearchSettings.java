package ai.sovereign.ingestion.search;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code ingestion.search.rrf-k}: the reciprocal-rank fusion constant of hybrid search (default 60, ≥ 0). */
@ConfigurationProperties("ingestion.search")
public record SearchSettings(@Bindable(defaultValue = "60") int rrfK) {

    public SearchSettings {
        if (rrfK < 0) {
            throw new IllegalArgumentException("ingestion.search.rrf-k must be ≥ 0 (got " + rrfK + ")");
        }
    }
}
