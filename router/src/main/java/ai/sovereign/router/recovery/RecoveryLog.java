package ai.sovereign.router.recovery;

import ai.sovereign.router.config.VersionedRoutingConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every recovery test's outcome per server: failures with time, model, error and latency (the last
 * {@code recovery.historySize}), counts, and consecutive failures per (server, model), which lead to bans.
 */
@Singleton
public class RecoveryLog {

    private final ConcurrentHashMap<String, ServerLog> logs = new ConcurrentHashMap<>();
    private final VersionedRoutingConfig config;

    @Serdeable
    public record Failure(String serverId, String model, Instant at, String error, double latencyMs) {}

    @Serdeable
    public record Summary(
            String serverId,
            long tests,
            long failures,
            @Nullable Instant lastFailureAt,
            @Nullable String lastError,
            Map<String, Integer> consecutiveFailures) {}

    @Serdeable
    public record Analysis(
            String serverId,
            long tests,
            long failures,
            double failureRate,
            @Nullable String mostCommonError,
            long mostCommonErrorCount,
            String trend,
            double meanFailureLatencyMs,
            Map<String, Long> failuresByModel) {}

    private static final class ServerLog {
        final ArrayDeque<Failure> failures = new ArrayDeque<>();
        final Map<String, Integer> consecutive = new LinkedHashMap<>();
        long tests;
        long failureCount;
    }

    public RecoveryLog(VersionedRoutingConfig config) {
        this.config = config;
    }

    /** Records a passed test; returns nothing to do. */
    public void passed(String serverId, String model) {
        ServerLog log = logs.computeIfAbsent(serverId, id -> new ServerLog());
        synchronized (log) {
            log.tests++;
            log.consecutive.remove(model);
        }
    }

    /** Records a failed test; returns the consecutive failures of (server, model) now. */
    public int failed(String serverId, String model, String error, double latencyMs) {
        ServerLog log = logs.computeIfAbsent(serverId, id -> new ServerLog());
        synchronized (log) {
            log.tests++;
            log.failureCount++;
            log.failures.addLast(new Failure(serverId, model, Instant.now(), error, latencyMs));
            while (log.failures.size() > config.config().recovery().historySize()) {
                log.failures.removeFirst();
            }
            return log.consecutive.merge(model, 1, Integer::sum);
        }
    }

    public List<Summary> summaries() {
        return logs.keySet().stream().sorted().map(this::summary).toList();
    }

    public Summary summary(String serverId) {
        ServerLog log = logs.get(serverId);
        if (log == null) {
            return new Summary(serverId, 0, 0, null, null, Map.of());
        }
        synchronized (log) {
            Failure last = log.failures.peekLast();
            return new Summary(
                    serverId,
                    log.tests,
                    log.failureCount,
                    last == null ? null : last.at(),
                    last == null ? null : last.error(),
                    Map.copyOf(log.consecutive));
        }
    }

    /** Newest first. */
    public List<Failure> history(String serverId) {
        ServerLog log = logs.get(serverId);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            List<Failure> list = new ArrayList<>(log.failures);
            java.util.Collections.reverse(list);
            return list;
        }
    }

    /**
     * Failure rate, the most common error, and the trend: the newer half of the kept failures against the older half
     * by rate over time ({@code worsening}, {@code improving}, {@code stable}; {@code none} without failures).
     */
    public Analysis analysis(String serverId) {
        Summary summary = summary(serverId);
        List<Failure> failures = history(serverId);
        Map<String, Long> byError =
                failures.stream().collect(Collectors.groupingBy(Failure::error, Collectors.counting()));
        var top = byError.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
        Map<String, Long> byModel =
                failures.stream().collect(Collectors.groupingBy(Failure::model, Collectors.counting()));
        String trend = "none";
        if (failures.size() >= 4) {
            List<Failure> oldestFirst = failures.reversed();
            Instant start = oldestFirst.getFirst().at();
            Instant end = Instant.now();
            Instant middle = start.plusMillis((end.toEpochMilli() - start.toEpochMilli()) / 2);
            long older =
                    oldestFirst.stream().filter(f -> f.at().isBefore(middle)).count();
            long newer = oldestFirst.size() - older;
            trend = newer > older * 1.25 ? "worsening" : newer < older * 0.75 ? "improving" : "stable";
        } else if (!failures.isEmpty()) {
            trend = "stable";
        }
        double meanLatency =
                failures.stream().mapToDouble(Failure::latencyMs).average().orElse(0);
        return new Analysis(
                serverId,
                summary.tests(),
                summary.failures(),
                summary.tests() == 0 ? 0 : (double) summary.failures() / summary.tests(),
                top == null ? null : top.getKey(),
                top == null ? 0 : top.getValue(),
                trend,
                Math.round(meanLatency * 10) / 10.0,
                new java.util.TreeMap<>(byModel));
    }

    public void reset(String serverId) {
        logs.remove(serverId);
    }

    static <T> Map<String, T> index(List<T> values, Function<T, String> key) {
        return values.stream().collect(Collectors.toMap(key, v -> v, (a, b) -> a, LinkedHashMap::new));
    }

    static Comparator<Failure> newestFirst() {
        return Comparator.comparing(Failure::at).reversed();
    }
}
