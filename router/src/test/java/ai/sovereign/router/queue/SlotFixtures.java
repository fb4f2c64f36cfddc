package ai.sovereign.router.queue;

import ai.sovereign.router.fleet.BackendServer;
import java.time.Instant;
import java.util.function.Consumer;

/** Slots and queue tickets made by hand, for unit tests of what uses them outside this package. */
public final class SlotFixtures {

    private SlotFixtures() {}

    /** A slot taken on {@code server} (releasing it gives it back); {@code released} hears of the release. */
    public static SlotLease lease(BackendServer server, String model, Consumer<SlotLease> released) {
        if (!server.tryAcquire()) {
            throw new IllegalStateException("server " + server.id() + " has no free slot (maxConcurrency "
                    + server.spec().maxConcurrency() + ")");
        }
        return new SlotLease(server, model, false, released);
    }

    /** A place in the queue, outside any queue: the test completes its {@link QueuedRequest#slot()}. */
    public static QueuedRequest ticket(RouteRequest request) {
        return new QueuedRequest(request, 1, Instant.EPOCH);
    }
}
