package ai.sovereign.router.balance;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.fleet.BackendServer;
import jakarta.inject.Singleton;

/**
 * Picks the candidate with a free slot and the lowest {@link ServerScorer} score and takes its slot. A server this
 * request already failed on carries {@value #TRIED_PENALTY} on top of its score: another comparable server is
 * preferred, but a retry does not go to a server far worse than the one that failed once (a 4× slower server costs
 * more than a second try where 80 % succeed). An unreachable server is not a candidate at all (it is unhealthy).
 */
@Singleton
public class LeastLoadedBalancer {

    /** Scores this close count as equal, so that equal servers share traffic round-robin. */
    private static final double TIE = 1e-9;
    static final double TRIED_PENALTY = 0.75;

    private final LatencyTracker latency;
    private final BreakerBoard breakers;
    private final AtomicLong rotation = new AtomicLong();

    public LeastLoadedBalancer(LatencyTracker latency, BreakerBoard breakers) {
        this.latency = latency;
        this.breakers = breakers;
    }

    /** Takes a slot on the best candidate for {@code model}; null when every candidate is full. */
    public Pick pick(String model, List<BackendServer> candidates, Set<String> tried) {
        double best = bestLatency(model, candidates);
        long now = System.currentTimeMillis();
        int size = candidates.size();
        int start = size == 0 ? 0 : (int) Math.floorMod(rotation.getAndIncrement(), (long) size);
        BackendServer chosen = null;
        double chosenScore = Double.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            BackendServer server = candidates.get((start + i) % size);
            if (server.freeSlots() <= 0) {
                continue;
            }
            LatencyTracker.Observed seen = latency.observed(server.id(), model);
            double score = ServerScorer.score(new ServerScorer.Inputs(server.inFlight(), server.spec().maxConcurrency(),
                    server.hasLoaded(model), seen.latencyMs(), now - seen.latencySampledAtMillis(), best,
                    server.gpuMemoryFreeRatio(), seen.failureRate()))
                    + (tried.contains(server.id()) ? TRIED_PENALTY : 0);
            if (score < chosenScore - TIE) {
                chosen = server;
                chosenScore = score;
            }
        }
        if (chosen == null || !chosen.tryAcquire()) {
            return null;
        }
        boolean probe = breakers.find(chosen.id(), model).map(b -> b.onDispatch()).orElse(false);
        return new Pick(chosen, probe);
    }

    private double bestLatency(String model, List<BackendServer> candidates) {
        double best = Double.NaN;
        for (BackendServer server : candidates) {
            double value = latency.observed(server.id(), model).latencyMs();
            if (!Double.isNaN(value) && (Double.isNaN(best) || value < best)) {
                best = value;
            }
        }
        return best;
    }
}
