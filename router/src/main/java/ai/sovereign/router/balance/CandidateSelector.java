package ai.sovereign.router.balance;

import ai.sovereign.router.breaker.BreakerBoard;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Which servers may take a request for a model: healthy, not draining, not in maintenance, holding the model, its
 * (server, model) breaker not open and the pair not banned. Free slots are not checked here: a full candidate is
 * still a candidate, the request waits for it.
 */
@Singleton
public class CandidateSelector {

    private final FleetRegistry fleet;
    private final BreakerBoard breakers;
    private final BannedPairs bans;

    public CandidateSelector(FleetRegistry fleet, BreakerBoard breakers, BannedPairs bans) {
        this.fleet = fleet;
        this.breakers = breakers;
        this.bans = bans;
    }

    /**
     * The servers that may take a request for {@code model} now, and why the others may not.
     *
     * @param countRefusals count a refusal on each breaker that keeps a server out (once per routing decision, not
     *                      on every re-evaluation of a waiting request)
     */
    public Candidates select(String model, boolean countRefusals) {
        List<BackendServer> eligible = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (BackendServer server : fleet.all()) {
            if (!server.holds(model)) {
                continue;
            }
            String reason = exclusion(server, model, countRefusals);
            if (reason == null) {
                eligible.add(server);
            } else {
                excluded.add(server.id() + ": " + reason);
            }
        }
        return new Candidates(eligible, excluded);
    }

    private String exclusion(BackendServer server, String model, boolean countRefusals) {
        if (server.maintenance() != null) {
            return "in maintenance (" + server.maintenance().reason() + ")";
        }
        if (server.draining()) {
            return "draining";
        }
        if (!server.healthy()) {
            return "unhealthy" + (server.lastError() == null ? "" : " (" + server.lastError() + ")");
        }
        if (bans.isBanned(server.id(), model)) {
            return "banned for this model";
        }
        if (!breakers.permits(server, model)) {
            if (countRefusals) {
                breakers.find(server.id(), model).ifPresent(b -> b.refused());
            }
            return "circuit breaker "
                    + breakers.find(server.id(), model)
                            .map(b -> b.state().wireName())
                            .orElse("open");
        }
        return null;
    }
}
