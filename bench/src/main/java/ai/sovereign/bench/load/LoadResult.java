package ai.sovereign.bench.load;

/** A finished load run: how many requests, how many failed, their latency, and the achieved rate. */
public record LoadResult(String name, long requests, long failures, double seconds, LatencySummary latency) {

    public double requestsPerSecond() {
        return seconds <= 0 ? 0 : requests / seconds;
    }
}
