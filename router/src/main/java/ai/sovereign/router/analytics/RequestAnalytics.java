package ai.sovereign.router.analytics;

import ai.sovereign.router.config.VersionedRoutingConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent request outcomes per (server, model), for analytics/summary, server-performance and errors. Keeps the
 * outcomes of the last {@code metrics.windowMs} (at most {@value #MAX_SAMPLES} per pair) in memory; the long view is
 * Prometheus' job.
 */
@Singleton
public class RequestAnalytics {

    static final int MAX_SAMPLES = 20_000;

    private final ConcurrentHashMap<String, ArrayDeque<Sample>> samples = new ConcurrentHashMap<>();
    private final VersionedRoutingConfig config;

    /** One finished attempt. */
    public record Sample(
            long atMillis,
            String serverId,
            String model,
            boolean success,
            double latencyMs,
            @Nullable Double ttftMs,
            int completionTokens,
            @Nullable String error) {}

    @Serdeable
    public record Performance(
            String serverId,
            String model,
            long requests,
            long errors,
            double errorRate,
            double p50LatencyMs,
            double p95LatencyMs,
            double p99LatencyMs,
            @Nullable Double p50TtftMs,
            @Nullable Double p95TtftMs,
            double tokensPerSecond) {}

    @Serdeable
    public record ErrorCount(String serverId, String model, String error, long count, long lastAtMillis) {}

    public RequestAnalytics(VersionedRoutingConfig config) {
        this.config = config;
    }

    public void record(Sample sample) {
        ArrayDeque<Sample> deque =
                samples.computeIfAbsent(sample.serverId() + "\u0000" + sample.model(), k -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(sample);
            prune(deque, System.currentTimeMillis());
            while (deque.size() > MAX_SAMPLES) {
                deque.removeFirst();
            }
        }
    }

    public long windowMs() {
        return config.config().metrics().windowMs();
    }

    /** Every sample in the window. */
    public List<Sample> recent() {
        long now = System.currentTimeMillis();
        List<Sample> all = new ArrayList<>();
        for (ArrayDeque<Sample> deque : samples.values()) {
            synchronized (deque) {
                prune(deque, now);
                all.addAll(deque);
            }
        }
        return all;
    }

    public List<Performance> performance() {
        Map<String, List<Sample>> byPair = new LinkedHashMap<>();
        recent().stream()
                .sorted(Comparator.comparing(Sample::serverId).thenComparing(Sample::model))
                .forEach(s -> byPair.computeIfAbsent(s.serverId() + "\u0000" + s.model(), k -> new ArrayList<>())
                        .add(s));
        List<Performance> out = new ArrayList<>();
        for (List<Sample> pair : byPair.values()) {
            double[] latencies = pair.stream()
                    .filter(Sample::success)
                    .mapToDouble(Sample::latencyMs)
                    .sorted()
                    .toArray();
            double[] ttfts = pair.stream()
                    .filter(s -> s.success() && s.ttftMs() != null)
                    .mapToDouble(Sample::ttftMs)
                    .sorted()
                    .toArray();
            long errors = pair.stream().filter(s -> !s.success()).count();
            double tokens = pair.stream()
                    .filter(Sample::success)
                    .mapToDouble(Sample::completionTokens)
                    .sum();
            double seconds = Arrays.stream(latencies).sum() / 1000;
            Sample first = pair.getFirst();
            out.add(new Performance(
                    first.serverId(),
                    first.model(),
                    pair.size(),
                    errors,
                    round((double) errors / pair.size()),
                    percentile(latencies, 50),
                    percentile(latencies, 95),
                    percentile(latencies, 99),
                    ttfts.length == 0 ? null : percentile(ttfts, 50),
                    ttfts.length == 0 ? null : percentile(ttfts, 95),
                    seconds > 0 ? round(tokens / seconds) : 0));
        }
        return out;
    }

    public List<ErrorCount> errors() {
        Map<List<String>, long[]> counts = new HashMap<>();
        for (Sample s : recent()) {
            if (!s.success()) {
                long[] c = counts.computeIfAbsent(
                        List.of(s.serverId(), s.model(), String.valueOf(s.error())), k -> new long[2]);
                c[0]++;
                c[1] = Math.max(c[1], s.atMillis());
            }
        }
        return counts.entrySet().stream()
                .map(e -> new ErrorCount(
                        e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getValue()[0], e.getValue()[1]))
                .sorted(Comparator.comparingLong(ErrorCount::count).reversed())
                .toList();
    }

    public void forgetServer(String serverId) {
        samples.keySet().removeIf(k -> k.startsWith(serverId + "\u0000"));
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return round(sorted[Math.clamp(index, 0, sorted.length - 1)]);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private void prune(ArrayDeque<Sample> deque, long now) {
        long horizon = now - windowMs();
        while (!deque.isEmpty() && deque.peekFirst().atMillis() < horizon) {
            deque.removeFirst();
        }
    }
}
