package ai.sovereign.router.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The waiting requests in dispatch order: priority first, arrival within a priority. Not thread-safe: the
 * {@link SlotScheduler} guards it with its lock.
 */
final class AdmissionQueue {

    private final TreeSet<QueuedRequest> waiting = new TreeSet<>();
    private final Map<String, Integer> perModel = new HashMap<>();

    void add(QueuedRequest request) {
        waiting.add(request);
        perModel.merge(request.request().model(), 1, Integer::sum);
    }

    boolean remove(QueuedRequest request) {
        if (!waiting.remove(request)) {
            return false;
        }
        perModel.computeIfPresent(request.request().model(), (model, count) -> count == 1 ? null : count - 1);
        return true;
    }

    int size() {
        return waiting.size();
    }

    boolean hasWaitingFor(String model) {
        return perModel.containsKey(model);
    }

    /** A copy in dispatch order, safe to iterate while removing. */
    List<QueuedRequest> inOrder() {
        return new ArrayList<>(waiting);
    }

    Map<String, Integer> perModel() {
        return Map.copyOf(perModel);
    }
}
