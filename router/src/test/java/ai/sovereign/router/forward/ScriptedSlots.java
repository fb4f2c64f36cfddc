package ai.sovereign.router.forward;

import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.queue.QueuedRequest;
import ai.sovereign.router.queue.RouteDecision;
import ai.sovereign.router.queue.RouteRequest;
import ai.sovereign.router.queue.SlotFixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's side, played by the test: an attempt gets a slot on the first server of the fleet the request has
 * not been tried on (as the balancer prefers), unless the test scripted another decision for that attempt.
 */
final class ScriptedSlots implements Forwarding.Slots {

    final List<RouteRequest> routed = new ArrayList<>();
    final List<QueuedRequest> cancelled = new ArrayList<>();
    private final List<BackendServer> fleet;
    private final Map<Integer, RouteDecision> script = new HashMap<>();

    ScriptedSlots(List<BackendServer> fleet) {
        this.fleet = fleet;
    }

    /** The decision for the {@code attempt}-th call to {@link #route} (from 1). */
    void onAttempt(int attempt, RouteDecision decision) {
        script.put(attempt, decision);
    }

    @Override
    public RouteDecision route(RouteRequest request) {
        routed.add(request);
        RouteDecision scripted = script.get(routed.size());
        if (scripted != null) {
            return scripted;
        }
        BackendServer server = fleet.stream()
                .filter(s -> !request.tried().contains(s.id()))
                .findFirst()
                .orElse(fleet.getFirst());
        return new RouteDecision.Forward(SlotFixtures.lease(server, request.model(), lease -> {}));
    }

    /** As the scheduler does: out of the queue, and the wait cancelled. */
    @Override
    public void cancel(QueuedRequest ticket) {
        cancelled.add(ticket);
        ticket.slot().cancel(false);
    }
}
