package ai.sovereign.router.queue;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A request waiting for a slot. Its future completes with the slot, or with {@link QueueTimeoutException}; the
 * queue orders by priority (highest first), then arrival.
 */
public final class QueuedRequest implements Comparable<QueuedRequest> {

    private final RouteRequest request;
    private final long sequence;
    private final Instant enqueuedAt;
    private final CompletableFuture<SlotLease> slot = new CompletableFuture<>();
    private ScheduledFuture<?> deadline;

    QueuedRequest(RouteRequest request, long sequence, Instant enqueuedAt) {
        this.request = request;
        this.sequence = sequence;
        this.enqueuedAt = enqueuedAt;
    }

    public RouteRequest request() {
        return request;
    }

    public long sequence() {
        return sequence;
    }

    public Instant enqueuedAt() {
        return enqueuedAt;
    }

    /** Completes when a slot is granted (or the wait ends otherwise). */
    public CompletableFuture<SlotLease> slot() {
        return slot;
    }

    void deadline(ScheduledFuture<?> value) {
        deadline = value;
    }

    void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public int compareTo(QueuedRequest other) {
        int byPriority = Integer.compare(other.request.priority(), request.priority());
        return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
    }
}
