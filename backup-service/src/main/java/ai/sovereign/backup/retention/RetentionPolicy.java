package ai.sovereign.backup.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Grandfather-father-son retention, as restic's {@code --keep-daily/weekly/monthly}: of the successful runs, the
 * newest run of each of the newest {@code keepDaily} days that have one (UTC), of each of the newest
 * {@code keepWeekly} ISO weeks, and of each of the newest {@code keepMonthly} months is kept. Also kept: every run
 * younger than {@code minAge}, and the newest verified run whatever its age. Everything else (failed runs included)
 * is deleted. Runs still running are never candidates.
 */
public record RetentionPolicy(int keepDaily, int keepWeekly, int keepMonthly, Duration minAge) {

    public RetentionPolicy {
        if (keepDaily < 0 || keepWeekly < 0 || keepMonthly < 0) {
            throw new IllegalArgumentException("keep counts must be >= 0");
        }
        if (minAge.isNegative()) {
            throw new IllegalArgumentException("min_age must be >= 0");
        }
    }

    /** Builds a policy, naming {@code prefix + key} in the message of a bad value. */
    public static RetentionPolicy of(int keepDaily, int keepWeekly, int keepMonthly, Duration minAge, String prefix) {
        check(keepDaily, prefix + "keep-daily");
        check(keepWeekly, prefix + "keep-weekly");
        check(keepMonthly, prefix + "keep-monthly");
        if (minAge.isNegative()) {
            throw new IllegalArgumentException(prefix + "min-age must be >= 0 (got " + minAge + ")");
        }
        return new RetentionPolicy(keepDaily, keepWeekly, keepMonthly, minAge);
    }

    private static void check(int value, String key) {
        if (value < 0 || value > 100_000) {
            throw new IllegalArgumentException(key + " must be 0..100000 (got " + value + ")");
        }
    }

    /** One finished run as the policy sees it. */
    public record Candidate(String id, Instant startedAt, boolean succeeded, boolean verified) {}

    /** Kept runs with why, and runs to delete, both newest first. */
    public record Plan(Map<String, List<String>> keep, List<String> delete) {}

    public Plan plan(List<Candidate> runs, Instant now) {
        List<Candidate> newestFirst = runs.stream()
                .sorted(Comparator.comparing(Candidate::startedAt)
                        .reversed()
                        .thenComparing(Candidate::id, Comparator.reverseOrder()))
                .toList();
        Map<String, List<String>> keep = new LinkedHashMap<>();
        for (Candidate run : newestFirst) {
            if (run.startedAt().isAfter(now.minus(minAge))) {
                reason(keep, run, "younger than min_age");
            }
        }
        newestFirst.stream()
                .filter(r -> r.succeeded() && r.verified())
                .findFirst()
                .ifPresent(r -> reason(keep, r, "newest verified"));
        List<Candidate> succeeded =
                newestFirst.stream().filter(Candidate::succeeded).toList();
        bucket(succeeded, keepDaily, t -> t.toLocalDate(), "daily", keep);
        bucket(
                succeeded,
                keepWeekly,
                t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                "weekly",
                keep);
        bucket(succeeded, keepMonthly, t -> YearMonth.from(t), "monthly", keep);
        List<String> delete = new ArrayList<>();
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (Candidate run : newestFirst) {
            if (keep.containsKey(run.id())) {
                ordered.put(run.id(), keep.get(run.id()));
            } else {
                delete.add(run.id());
            }
        }
        return new Plan(ordered, delete);
    }

    private static void bucket(
            List<Candidate> newestFirst,
            int count,
            Function<ZonedDateTime, Object> key,
            String name,
            Map<String, List<String>> keep) {
        Set<Object> seen = new LinkedHashSet<>();
        for (Candidate run : newestFirst) {
            Object bucket = key.apply(run.startedAt().atZone(ZoneOffset.UTC));
            if (seen.contains(bucket)) {
                continue;
            }
            if (seen.size() == count) {
                return;
            }
            seen.add(bucket);
            reason(keep, run, name + " " + bucket);
        }
    }

    private static void reason(Map<String, List<String>> keep, Candidate run, String reason) {
        keep.computeIfAbsent(run.id(), id -> new ArrayList<>()).add(reason);
    }
}
