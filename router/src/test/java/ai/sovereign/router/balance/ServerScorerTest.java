package ai.sovereign.router.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The documented scoring, term by term. */
class ServerScorerTest {

    static ServerScorer.Inputs idle() {
        return new ServerScorer.Inputs(0, 4, true, Double.NaN, 0, Double.NaN, null, 0);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("idle, loaded, unknown latency", idle(), 0.0),
                Arguments.of("half full", new ServerScorer.Inputs(2, 4, true, Double.NaN, 0, Double.NaN, null, 0), 0.5),
                Arguments.of(
                        "model not loaded",
                        new ServerScorer.Inputs(0, 4, false, Double.NaN, 0, Double.NaN, null, 0),
                        0.3),
                Arguments.of(
                        "within 25 % of the best is noise",
                        new ServerScorer.Inputs(0, 4, true, 120, 0, 100, null, 0), 0.0),
                Arguments.of("4x slower", new ServerScorer.Inputs(0, 4, true, 400, 0, 100, null, 0), 0.5 * 2.75),
                Arguments.of(
                        "4x slower, sample 30 s old",
                        new ServerScorer.Inputs(0, 4, true, 400, 30_000, 100, null, 0),
                        0.5 * 2.75 / 2),
                Arguments.of(
                        "slowness is capped", new ServerScorer.Inputs(0, 4, true, 100_000, 0, 1, null, 0), 0.5 * 4),
                Arguments.of(
                        "GPU memory 25 % free",
                        new ServerScorer.Inputs(0, 4, true, Double.NaN, 0, Double.NaN, 0.25, 0), 0.2 * 0.75),
                Arguments.of(
                        "failing 20 %", new ServerScorer.Inputs(0, 4, true, Double.NaN, 0, Double.NaN, null, 0.2), 0.2),
                Arguments.of(
                        "failure noise below 5 %",
                        new ServerScorer.Inputs(0, 4, true, Double.NaN, 0, Double.NaN, null, 0.04), 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoresAsDocumented(String name, ServerScorer.Inputs inputs, double expected) {
        assertEquals(expected, ServerScorer.score(inputs), 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anIdleLoadedServerNeverLosesToTheSameServerWithMoreAgainstIt(
            String name, ServerScorer.Inputs inputs, double expected) {
        assertTrue(ServerScorer.score(idle()) <= ServerScorer.score(inputs));
    }

    @org.junit.jupiter.api.Test
    void prefixAffinityAndTheHomeBonusAndSlownessOnlyForTheUncachedShare() {
        ai.sovereign.router.config.RoutingWeights w = ai.sovereign.router.config.RoutingWeights.defaults();
        ServerScorer.Inputs slow = new ServerScorer.Inputs(0, 4, true, 400, 0, 100, null, 0); // 4x the best: 0.5 x 2.75
        assertEquals(-1.0, ServerScorer.score(idle(), w, 1.0), 1e-9, "the whole prompt cached");
        assertEquals(-1.1, ServerScorer.score(idle(), w, 1.1, 1.0), 1e-9, "the home holding it: + the tie bonus");
        assertEquals(-1.1, ServerScorer.score(idle(), w, 5, 1.0), 1e-9, "capped at 1 + the tie bonus");
        assertEquals(
                -1.0 + 0.0, ServerScorer.score(slow, w, 1.0), 1e-9, "holding all of it: its slowness does not count");
        assertEquals(
                -0.25 + 0.75 * 0.5 * 2.75,
                ServerScorer.score(slow, w, 0.25),
                1e-9,
                "holding a quarter: 3/4 of it counts");
        assertEquals(
                -0.6 + 0.5 * 2.75,
                ServerScorer.score(slow, w, 0.6, 0),
                1e-9,
                "a cold home: the home bonus, full slowness");
    }
}
