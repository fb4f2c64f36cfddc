package ai.sovereign.router.queue;

import ai.sovereign.router.balance.RoutingHint;
import java.util.Set;

/**
 * What the scheduler needs to place one attempt of a request.
 *
 * @param tried servers this request already failed on; avoided while others can take it
 * @param hint  the prompt and session the balancer's prefix affinity looks at
 */
public record RouteRequest(String requestId, String model, int priority, Set<String> tried, RoutingHint hint) {

    public RouteRequest {
        tried = Set.copyOf(tried);
        hint = hint == null ? RoutingHint.NONE : hint;
    }

    /** Without a prompt or session: placed by load and health alone. */
    public RouteRequest(String requestId, String model, int priority, Set<String> tried) {
        this(requestId, model, priority, tried, RoutingHint.NONE);
    }
}
