package ai.sovereign.bench.load;

/** Count and latency figures in milliseconds (microsecond resolution). */
public record LatencySummary(long count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {}
