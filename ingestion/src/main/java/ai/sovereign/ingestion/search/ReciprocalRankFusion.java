package ai.sovereign.ingestion.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a chunk scores the sum over the ranked lists it
 * appears in of {@code 1 / (k + rank)}, rank starting at 1. {@code k = 60} (the paper's constant, {@code ingestion.search.rrf-k})
 * damps the weight of the very first ranks so that agreement between lists counts more than one list's top hit.
 */
public final class ReciprocalRankFusion {

    private ReciprocalRankFusion() {}

    /** Chunk ids with fused scores, best first. */
    public static List<Map.Entry<String, Double>> fuse(int k, List<List<String>> rankings) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (List<String> ranking : rankings) {
            for (int i = 0; i < ranking.size(); i++) {
                scores.merge(ranking.get(i), 1.0 / (k + i + 1), Double::sum);
            }
        }
        List<Map.Entry<String, Double>> fused = new ArrayList<>(scores.entrySet());
        fused.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return fused;
    }
}
