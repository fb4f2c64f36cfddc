package ai.sovereign.router.recovery;

import ai.sovereign.router.balance.BannedPairs;
import ai.sovereign.router.fleet.FleetRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The (server, model) pairs banned after repeated recovery failures; a ban ends by itself or by an operator. */
@Singleton
public class BanList implements BannedPairs {

    private static final Logger LOG = LoggerFactory.getLogger(BanList.class);

    private final ConcurrentHashMap<Key, Ban> bans = new ConcurrentHashMap<>();
    private final FleetRegistry fleet;
    private final Clock clock;

    private record Key(String serverId, String model) {}

    public BanList(FleetRegistry fleet) {
        this.fleet = fleet;
        this.clock = Clock.systemUTC();
        fleet.onServerRemoved(server -> clearWhere(ban -> ban.serverId().equals(server.id())));
    }

    @Override
    public boolean isBanned(String serverId, String model) {
        Ban ban = bans.get(new Key(serverId, model));
        if (ban == null) {
            return false;
        }
        if (!ban.until().isAfter(clock.instant())) {
            bans.remove(new Key(serverId, model), ban);
            return false;
        }
        return true;
    }

    public Ban ban(String serverId, String model, Duration duration, String reason) {
        Instant now = clock.instant();
        Ban ban = new Ban(serverId, model, reason, now, now.plus(duration));
        bans.put(new Key(serverId, model), ban);
        LOG.warn("banned {} / {} until {}: {}", serverId, model, ban.until(), reason);
        return ban;
    }

    /** Bans in force, by server then model. */
    public List<Ban> active() {
        Instant now = clock.instant();
        bans.values().removeIf(ban -> !ban.until().isAfter(now));
        return bans.values().stream()
                .sorted(Comparator.comparing(Ban::serverId).thenComparing(Ban::model))
                .toList();
    }

    /** Lifts every ban matching {@code which}; returns how many were lifted. */
    public int clearWhere(Predicate<Ban> which) {
        int cleared = 0;
        for (var entry : bans.entrySet()) {
            if (which.test(entry.getValue()) && bans.remove(entry.getKey(), entry.getValue())) {
                cleared++;
            }
        }
        if (cleared > 0) {
            fleet.capacityChanged();
        }
        return cleared;
    }
}
