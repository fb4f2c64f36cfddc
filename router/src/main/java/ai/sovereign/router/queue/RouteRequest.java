package ai.sovereign.router.queue;

import java.util.Set;

/**
 * What the scheduler needs to place one attempt of a request.
 *
 * @param tried servers this request already failed on; avoided while others can take it
 */
public record RouteRequest(String requestId, String model, int priority, Set<String> tried) {

    public RouteRequest {
        tried = Set.copyOf(tried);
    }
}
