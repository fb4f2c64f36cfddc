package ai.sovereign.ingestion.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

    @Test
    void agreementBetweenListsBeatsOneListsTopHit() {
        List<Map.Entry<String, Double>> fused =
                ReciprocalRankFusion.fuse(60, List.of(List.of("a", "b", "c"), List.of("d", "b", "e")));
        assertThat(fused).extracting(Map.Entry::getKey).startsWith("b");
        assertThat(fused.getFirst().getValue()).isEqualTo(2.0 / 62);
    }

    @Test
    void aSingleListKeepsItsOrder() {
        assertThat(ReciprocalRankFusion.fuse(60, List.of(List.of("x", "y", "z"))))
                .extracting(Map.Entry::getKey)
                .containsExactly("x", "y", "z");
    }
}
