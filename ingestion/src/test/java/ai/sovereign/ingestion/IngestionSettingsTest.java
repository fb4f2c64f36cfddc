package ai.sovereign.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.sovereign.ingestion.audit.AuditSettings;
import ai.sovereign.ingestion.entity.EntitySettings;
import ai.sovereign.ingestion.search.SearchSettings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad {@code ingestion.*} values are refused at start with a message naming the key; absent lists are empty. */
class IngestionSettingsTest {

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> new SearchSettings(-1)).hasMessage("ingestion.search.rrf-k must be ≥ 0 (got -1)");
        assertThatThrownBy(() -> new EntitySettings("spacy"))
                .hasMessage("ingestion.entities.mode must be llm, deterministic or off (got spacy)");
        assertThatThrownBy(() -> new DataDirectorySettings(" "))
                .hasMessage("ingestion.data-dir must name a folder (got an empty value)");
    }

    @Test
    void queryTextTenantsAreTrimmedAndNoneWhenUnset() {
        assertThat(new AuditSettings(null).queryTextTenants()).isEmpty();
        assertThat(new AuditSettings(Arrays.asList(" acme", "", "globex ")).queryTextTenants())
                .containsExactly("acme", "globex");
    }
}
