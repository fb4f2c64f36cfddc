package ai.sovereign.router.balance;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.config.RoutingWeights;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.BackendServer;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the candidate with a free slot and the lowest {@link ServerScorer} score and takes its slot. Prefix and
 * session affinity follow a bounded-load rule (as in consistent hashing with bounded loads): a server whose
 * in-flight count, with this request, would exceed {@code ceil(c × mean)} — c = {@code balancing.prefix.loadBound},
 * mean = the candidates' in-flight plus this request over their number — gets no affinity bonus, so a hot prefix
 * or session spills over to the next best server instead of piling onto one. A prompt's home — the first server
 * with a free slot, within that limit and not yet tried by the request in the rendezvous order of its first block
 * ({@link PrefixHome}) — has at least affinity {@value PrefixHome#HOME_FLOOR}, plus {@value PrefixHome#HOME_TIE}
 * when no other server holds more of the prompt: a prefix no server holds goes to its home and overflows to the next
 * server of its own order, and among servers holding it equally the home is preferred, so each prefix lives on few
 * caches; a conversation that moved keeps its longer prefix where it is. No home is chosen when the request's
 * {@code X-Session-Id} is bound to a server within the limit. A server this
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
    private final PrefixAffinity affinity;
    private final VersionedRoutingConfig config;
    private final AtomicLong rotation = new AtomicLong();

    public LeastLoadedBalancer(
            LatencyTracker latency, BreakerBoard breakers, PrefixAffinity affinity, VersionedRoutingConfig config) {
        this.latency = latency;
        this.breakers = breakers;
        this.affinity = affinity;
        this.config = config;
    }

    /** Takes a slot on the best candidate for {@code model}; null when every candidate is full. */
    public Pick pick(String model, List<BackendServer> candidates, Set<String> tried) {
        return pick(model, candidates, tried, RoutingHint.NONE);
    }

    /** As {@link #pick(String, List, Set)}, preferring servers that probably hold the request's prefix or session. */
    public Pick pick(String model, List<BackendServer> candidates, Set<String> tried, RoutingHint hint) {
        double best = bestLatency(model, candidates);
        long now = System.currentTimeMillis();
        int size = candidates.size();
        RoutingWeights weights = config.config().balancing().weights();
        boolean useAffinity = weights.prefix() > 0;
        long[] blocks = useAffinity ? hint.blocks(affinity.settings()) : new long[0];
        String sessionServer = useAffinity ? affinity.sessionServer(hint.sessionId()) : null;
        int bound = useAffinity ? loadBound(candidates) : Integer.MAX_VALUE;
        PrefixAffinity.Affinity[] held = new PrefixAffinity.Affinity[size];
        int mostMatched = 0;
        boolean sessionHeld = false;
        for (int i = 0; i < size; i++) {
            BackendServer server = candidates.get(i);
            held[i] = useAffinity && server.freeSlots() > 0 && withinBound(server, bound)
                    ? affinity.affinity(server.id(), blocks, sessionServer)
                    : PrefixAffinity.Affinity.NONE;
            mostMatched = Math.max(mostMatched, held[i].matchedBlocks());
            sessionHeld |= held[i].session();
        }
        // A session bound to a server within the limit keeps it: the home rule is for prefixes, not sessions.
        BackendServer home = useAffinity && !sessionHeld ? home(candidates, tried, blocks, bound) : null;
        PrefixAffinity.Affinity chosenAffinity = PrefixAffinity.Affinity.NONE;
        int start = size == 0 ? 0 : (int) Math.floorMod(rotation.getAndIncrement(), (long) size);
        BackendServer chosen = null;
        double chosenScore = Double.MAX_VALUE;
        for (int n = 0; n < size; n++) {
            int i = (start + n) % size;
            BackendServer server = candidates.get(i);
            if (server.freeSlots() <= 0) {
                continue;
            }
            LatencyTracker.Observed seen = latency.observed(server.id(), model);
            double prefix = held[i].strength();
            if (server == home) {
                prefix = Math.max(prefix, PrefixHome.HOME_FLOOR)
                        + (held[i].matchedBlocks() >= mostMatched ? PrefixHome.HOME_TIE : 0);
            }
            double score = ServerScorer.score(
                            new ServerScorer.Inputs(
                                    server.inFlight(),
                                    server.spec().maxConcurrency(),
                                    server.hasLoaded(model),
                                    seen.latencyMs(),
                                    now - seen.latencySampledAtMillis(),
                                    best,
                                    server.gpuMemoryFreeRatio(),
                                    seen.failureRate()),
                            weights,
                            prefix,
                            held[i].strength())
                    + (tried.contains(server.id()) ? TRIED_PENALTY : 0);
            if (score < chosenScore - TIE) {
                chosen = server;
                chosenScore = score;
                chosenAffinity = held[i];
            }
        }
        if (chosen == null || !chosen.tryAcquire()) {
            return null;
        }
        if (useAffinity) {
            affinity.routed(chosen.id(), blocks, hint.sessionId(), chosenAffinity, chosen == home);
        }
        boolean probe =
                breakers.find(chosen.id(), model).map(b -> b.onDispatch()).orElse(false);
        return new Pick(chosen, probe);
    }

    /**
     * The prefix's home: of the candidates with a free slot, within the bounded-load limit and not already tried by
     * this request, the one first in the rendezvous order of the prompt's first block ({@link PrefixHome}); null for
     * a prompt without a full block. Walking the order past servers over the limit is consistent hashing with
     * bounded loads: a hot prefix overflows to the next server of its own order, always the same one.
     */
    private static BackendServer home(List<BackendServer> candidates, Set<String> tried, long[] blocks, int bound) {
        if (blocks.length == 0) {
            return null;
        }
        long key = PrefixHome.key(blocks);
        BackendServer home = null;
        long homeWeight = 0;
        for (BackendServer server : candidates) {
            if (server.freeSlots() <= 0 || !withinBound(server, bound) || tried.contains(server.id())) {
                continue;
            }
            long weight = PrefixHome.weight(key, server.id());
            if (home == null || weight > homeWeight) {
                home = server;
                homeWeight = weight;
            }
        }
        return home;
    }

    private static boolean withinBound(BackendServer server, int fleetBound) {
        return server.inFlight() + 1 <= loadBound(server, fleetBound);
    }

    /**
     * Bounded load: at most ceil(c × mean in-flight, counting this request) for a server to keep its affinity, but
     * never less than half its own maxConcurrency: a server that is at most half full is not overloaded, and at low
     * load (mean in-flight below one) the bare rule would send every second request of a prefix elsewhere, paying a
     * full prefill there and spreading every prefix over every cache.
     */
    private static int loadBound(BackendServer server, int fleetBound) {
        return Math.max(fleetBound, server.spec().maxConcurrency() / 2);
    }

    private int loadBound(List<BackendServer> candidates) {
        long inFlight = 1;
        for (BackendServer server : candidates) {
            inFlight += server.inFlight();
        }
        return (int) Math.ceil(affinity.settings().loadBound() * inFlight / candidates.size());
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
