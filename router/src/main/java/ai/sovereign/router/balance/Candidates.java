package ai.sovereign.router.balance;

import ai.sovereign.router.fleet.BackendServer;
import java.util.List;

/**
 * The servers a request for a model may go to, and for the servers holding the model that may not, why not
 * ({@code "gpu-2: draining"}), so that a refusal can say what is wrong.
 */
public record Candidates(List<BackendServer> eligible, List<String> excluded) {

    public boolean isEmpty() {
        return eligible.isEmpty();
    }
}
