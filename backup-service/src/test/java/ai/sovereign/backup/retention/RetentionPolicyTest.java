package ai.sovereign.backup.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grandfather-father-son on a synthetic catalog of 400 daily runs (03:00 UTC, 2025-01-01 .. 2026-02-04, "now" one
 * hour after the last): each row says exactly which days are kept. Expected sets were worked out by hand from the
 * calendar (ISO weeks start on Monday; 2026-02-04 is a Wednesday).
 */
class RetentionPolicyTest {

    private static final LocalDate FIRST = LocalDate.of(2025, 1, 1);
    private static final Instant NOW = FIRST.plusDays(399).atTime(4, 0).toInstant(ZoneOffset.UTC);

    static Stream<Arguments> policies() {
        IntPredicate none = i -> false;
        return Stream.of(
                Arguments.of(
                        "7 daily",
                        new RetentionPolicy(7, 0, 0, Duration.ZERO),
                        none,
                        -1,
                        days(
                                "2026-01-29",
                                "2026-01-30",
                                "2026-01-31",
                                "2026-02-01",
                                "2026-02-02",
                                "2026-02-03",
                                "2026-02-04")),
                Arguments.of(
                        "7 daily, 4 weekly, 12 monthly",
                        new RetentionPolicy(7, 4, 12, Duration.ZERO),
                        none,
                        -1,
                        days(
                                "2025-03-31",
                                "2025-04-30",
                                "2025-05-31",
                                "2025-06-30",
                                "2025-07-31",
                                "2025-08-31",
                                "2025-09-30",
                                "2025-10-31",
                                "2025-11-30",
                                "2025-12-31",
                                "2026-01-18",
                                "2026-01-25",
                                "2026-01-29",
                                "2026-01-30",
                                "2026-01-31",
                                "2026-02-01",
                                "2026-02-02",
                                "2026-02-03",
                                "2026-02-04")),
                Arguments.of(
                        "4 weekly only",
                        new RetentionPolicy(0, 4, 0, Duration.ZERO),
                        none,
                        -1,
                        days("2026-01-18", "2026-01-25", "2026-02-01", "2026-02-04")),
                Arguments.of(
                        "the newest verified run is kept whatever its age",
                        new RetentionPolicy(2, 0, 0, Duration.ZERO),
                        none,
                        68,
                        days("2025-03-10", "2026-02-03", "2026-02-04")),
                Arguments.of(
                        "min_age 72h keeps the last three runs",
                        new RetentionPolicy(0, 0, 0, Duration.ofHours(72)),
                        none,
                        -1,
                        days("2026-02-02", "2026-02-03", "2026-02-04")),
                Arguments.of(
                        "failed runs fill no bucket and are deleted",
                        new RetentionPolicy(7, 0, 0, Duration.ZERO),
                        (IntPredicate) i -> i % 10 == 9,
                        -1,
                        days(
                                "2026-01-28",
                                "2026-01-29",
                                "2026-01-30",
                                "2026-01-31",
                                "2026-02-01",
                                "2026-02-02",
                                "2026-02-03")),
                Arguments.of(
                        "nothing configured deletes everything",
                        new RetentionPolicy(0, 0, 0, Duration.ZERO),
                        none,
                        -1,
                        Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void keepsExactlyWhatThePolicySays(
            String name, RetentionPolicy policy, IntPredicate failed, int verifiedIndex, Set<String> expectedDays) {
        List<RetentionPolicy.Candidate> runs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            runs.add(new RetentionPolicy.Candidate(
                    id(i),
                    FIRST.plusDays(i).atTime(3, 0).toInstant(ZoneOffset.UTC),
                    !failed.test(i),
                    i == verifiedIndex));
        }
        RetentionPolicy.Plan plan = policy.plan(runs, NOW);

        Set<String> kept = new java.util.TreeSet<>(plan.keep().keySet());
        Set<String> expected = new java.util.TreeSet<>(expectedDays.stream()
                .map(d -> id((int) (LocalDate.parse(d).toEpochDay() - FIRST.toEpochDay())))
                .toList());
        assertEquals(expected, kept, name);
        assertEquals(400 - expected.size(), plan.delete().size());
        plan.delete().forEach(id -> assertFalse(kept.contains(id)));
        plan.keep().values().forEach(reasons -> assertFalse(reasons.isEmpty(), "every kept run says why"));
        if (verifiedIndex >= 0) {
            assertTrue(plan.keep().get(id(verifiedIndex)).contains("newest verified"));
        }
    }

    private static Set<String> days(String... days) {
        return Set.of(days);
    }

    private static String id(int i) {
        return String.format("run-%03d", i);
    }
}
