package ai.sovereign.router.balance;

import ai.sovereign.router.config.PrefixSettings;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.FleetRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a request's prompt prefix and session probably live: a {@link PrefixIndex} per server of the blocks the
 * router sent there, and a bounded table of session id → server. The balancer asks {@link #affinity} for every
 * candidate and reports each placement with {@link #routed}, which also feeds the per-server prefix hit rate
 * (analytics) and {@code orchestrator_prefix_affinity_hits_total}.
 */
@Singleton
public class PrefixAffinity {

    private final Map<String, PrefixIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, ServerStats> stats = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, String> sessions = new LinkedHashMap<>(1024, 0.75f, true);
    private final MeterRegistry registry;
    private volatile PrefixSettings settings;

    public PrefixAffinity(VersionedRoutingConfig config, FleetRegistry fleet, MeterRegistry registry) {
        this.registry = registry;
        this.settings = config.config().balancing().prefix();
        config.subscribe(next -> settings(next.balancing().prefix()));
        fleet.onServerRemoved(server -> forgetServer(server.id()));
    }

    /** Per-server counters of what the balancer placed. */
    private static final class ServerStats {
        final LongAdder routed = new LongAdder();
        final LongAdder prefixHits = new LongAdder();
        final LongAdder sessionHits = new LongAdder();
        final LongAdder homePlacements = new LongAdder();
        final LongAdder requestBlocks = new LongAdder();
        final LongAdder matchedBlocks = new LongAdder();
        Counter hitsCounter;
    }

    /** One server's affinity for a request: leading blocks it probably holds, and whether the session is bound there. */
    public record Affinity(int matchedBlocks, int requestBlocks, boolean session) {
        public static final Affinity NONE = new Affinity(0, 0, false);

        /** 0..1: the share of the prompt's blocks cached there, or 1 for the session's own server. */
        public double strength() {
            double prefix = requestBlocks == 0 ? 0 : (double) matchedBlocks / requestBlocks;
            return session ? 1 : prefix;
        }
    }

    public PrefixSettings settings() {
        return settings;
    }

    public Affinity affinity(String serverId, long[] blocks, String sessionServer) {
        boolean session = serverId.equals(sessionServer);
        if (blocks.length == 0) {
            return session ? new Affinity(0, 0, true) : Affinity.NONE;
        }
        PrefixIndex index = indexes.get(serverId);
        int matched = index == null ? 0 : index.matchLength(blocks, System.nanoTime());
        return new Affinity(matched, blocks.length, session);
    }

    /** The server the session was last placed on, or null. */
    public String sessionServer(String sessionId) {
        if (sessionId == null) {
            return null;
        }
        synchronized (sessions) {
            return sessions.get(sessionId);
        }
    }

    /**
     * The request was placed on {@code serverId}, which held {@code affinity} for it; {@code home}: the server was
     * the prefix's home ({@link PrefixHome}).
     */
    public void routed(String serverId, long[] blocks, String sessionId, Affinity affinity, boolean home) {
        PrefixSettings current = settings;
        if (blocks.length > 0) {
            indexes.computeIfAbsent(
                            serverId,
                            id -> new PrefixIndex(current.blocksPerServer(), current.maxAgeMs(), System.nanoTime()))
                    .record(blocks, System.nanoTime());
        }
        if (sessionId != null && current.maxSessions() > 0) {
            synchronized (sessions) {
                sessions.put(sessionId, serverId);
                while (sessions.size() > current.maxSessions()) {
                    sessions.pollFirstEntry();
                }
            }
        }
        ServerStats s = stats.computeIfAbsent(serverId, this::newStats);
        s.routed.increment();
        s.requestBlocks.add(blocks.length);
        s.matchedBlocks.add(affinity.matchedBlocks());
        if (affinity.matchedBlocks() > 0) {
            s.prefixHits.increment();
        }
        if (affinity.session()) {
            s.sessionHits.increment();
        }
        if (home) {
            s.homePlacements.increment();
        }
        if (affinity.matchedBlocks() > 0 || affinity.session()) {
            s.hitsCounter.increment();
        }
    }

    private ServerStats newStats(String serverId) {
        ServerStats s = new ServerStats();
        s.hitsCounter = Counter.builder("orchestrator.prefix.affinity.hits")
                .tag("server", serverId)
                .description("requests placed on a server that held part of their prompt prefix or their session")
                .register(registry);
        return s;
    }

    /**
     * Per-server prefix affinity since start (or since the server joined), for analytics; {@code homePlacements}:
     * requests placed on the server as their prefix's home (rendezvous order, within the bounded-load limit).
     */
    @Serdeable
    public record ServerAffinity(
            String serverId,
            long requests,
            long prefixHits,
            long sessionHits,
            long homePlacements,
            double prefixHitRate,
            double blockHitRate,
            int indexEntries,
            long indexBytes) {}

    public List<ServerAffinity> perServer() {
        Map<String, ServerAffinity> out = new TreeMap<>();
        stats.forEach((id, s) -> {
            long routed = s.routed.sum();
            long requestBlocks = s.requestBlocks.sum();
            PrefixIndex index = indexes.get(id);
            out.put(
                    id,
                    new ServerAffinity(
                            id,
                            routed,
                            s.prefixHits.sum(),
                            s.sessionHits.sum(),
                            s.homePlacements.sum(),
                            routed == 0 ? 0 : (double) s.prefixHits.sum() / routed,
                            requestBlocks == 0 ? 0 : (double) s.matchedBlocks.sum() / requestBlocks,
                            index == null ? 0 : index.entries(),
                            index == null ? 0 : index.bytes()));
        });
        return List.copyOf(out.values());
    }

    /** Sessions remembered now. */
    public int sessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /** Hashes remembered for {@code serverId} and the bytes its index holds (for the bounded-memory test). */
    public long[] indexSize(String serverId) {
        PrefixIndex index = indexes.get(serverId);
        return index == null ? new long[] {0, 0} : new long[] {index.entries(), index.bytes()};
    }

    private void settings(PrefixSettings next) {
        PrefixSettings before = settings;
        settings = next;
        if (before.blocksPerServer() != next.blocksPerServer()
                || before.maxAgeMs() != next.maxAgeMs()
                || before.blockChars() != next.blockChars()) {
            indexes.clear(); // sized or hashed differently: start learning again
        }
    }

    private void forgetServer(String serverId) {
        indexes.remove(serverId);
        ServerStats s = stats.remove(serverId);
        if (s != null) {
            registry.remove(s.hitsCounter);
        }
        synchronized (sessions) {
            sessions.values().removeIf(serverId::equals);
        }
    }
}
