package ai.sovereign.ingestion.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatternEntityExtractorTest {

    private final PatternEntityExtractor extractor = new PatternEntityExtractor();

    private List<String> names(String text, Entity.Kind kind) {
        return extractor.extract(text).stream()
                .filter(e -> e.kind() == kind)
                .map(Entity::name)
                .toList();
    }

    @Test
    void findsCapitalisedNounPhrasesButNotSentenceOpeners() {
        assertThat(names("Yesterday the European Space Agency met Airbus in Toulouse.", Entity.Kind.NAME))
                .contains("European Space Agency", "Airbus", "Toulouse")
                .doesNotContain("Yesterday");
    }

    @Test
    void findsAcronymsAndNumbersWithUnits() {
        List<Entity> entities = extractor.extract("The NASA probe flew at 17 km/s and drew 300 W, a 12% gain.");
        assertThat(entities).extracting(Entity::name).contains("NASA", "17 km/s", "300 W", "12%");
    }

    @Test
    void theSameTextGivesTheSameEntities() {
        String text = "Marie Curie worked in Paris on radium at 20 °C.";
        assertThat(extractor.extract(text)).isEqualTo(extractor.extract(text));
    }
}
