package ai.sovereign.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendezvous order of a prefix over servers: deterministic, spread, and consistent when a server leaves. */
class PrefixHomeTest {

    private static final List<String> SERVERS =
            List.of("gpu-0", "gpu-1", "gpu-2", "gpu-3", "gpu-4", "gpu-5", "gpu-6", "gpu-7");

    private static long key(int prompt) {
        return PrefixHome.key(PrefixBlocks.of(
                "system\u0000You are assistant number " + prompt + ". Answer briefly and cite your sources, always.",
                64,
                4));
    }

    @Test
    void theOrderIsAPermutationThatDependsOnlyOnThePrefix() {
        long key = key(7);
        List<String> order = PrefixHome.order(key, SERVERS);
        assertEquals(new HashSet<>(SERVERS), new HashSet<>(order));
        assertEquals(
                order, PrefixHome.order(key, SERVERS.reversed()), "the order the fleet is listed in does not matter");
        assertEquals(
                order,
                PrefixHome.order(
                        PrefixHome.key(PrefixBlocks.of(
                                "system\u0000You are assistant number 7. "
                                        + "Answer briefly and cite your sources, always. And then a different tail",
                                64,
                                4)),
                        SERVERS),
                "only the first block decides");
        assertEquals(0, PrefixHome.key(new long[0]), "a prompt without a full block has no home");
    }

    @Test
    void homesSpreadOverTheFleet() {
        Map<String, Integer> homes = new HashMap<>();
        for (int p = 0; p < 400; p++) {
            homes.merge(PrefixHome.order(key(p), SERVERS).getFirst(), 1, Integer::sum);
        }
        assertEquals(SERVERS.size(), homes.size(), "every server is home to some prefixes: " + homes);
        homes.values().forEach(n -> assertTrue(n >= 30 && n <= 70, "about 50 of 400 each: " + homes));
    }

    @Test
    void whenAServerLeavesOnlyItsPrefixesMoveAndTheyMoveToTheirNextChoice() {
        List<String> without = new ArrayList<>(SERVERS);
        without.remove("gpu-3");
        int moved = 0;
        for (int p = 0; p < 400; p++) {
            List<String> before = PrefixHome.order(key(p), SERVERS);
            String after = PrefixHome.order(key(p), without).getFirst();
            if (before.getFirst().equals("gpu-3")) {
                assertEquals(before.get(1), after, "a prefix of the leaving server overflows to its own second choice");
                moved++;
            } else {
                assertEquals(before.getFirst(), after, "prefix " + p + " keeps its home");
            }
        }
        assertTrue(moved > 0);
    }
}
