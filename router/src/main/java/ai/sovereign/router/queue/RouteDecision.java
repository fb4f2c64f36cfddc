package ai.sovereign.router.queue;

/** Where one attempt of a request goes: to a server now, into the queue, or back to the client refused. */
public sealed interface RouteDecision {

    /** A slot was free: forward now. */
    record Forward(SlotLease lease) implements RouteDecision {}

    /** Every candidate is full (or the queue is paused): wait for {@code ticket.slot()}. */
    record Queue(QueuedRequest ticket) implements RouteDecision {}

    /** Refused at once; {@code retryAfterSeconds} is sent as {@code Retry-After}. */
    record Reject(Reason reason, String message, long retryAfterSeconds) implements RouteDecision {}

    /** Why a request was refused. */
    enum Reason {
        /** No server can serve the model now (all unhealthy, draining, in maintenance, broken or banned). */
        NO_SERVER,
        /** The queue holds {@code queue.maxSize} requests already. */
        QUEUE_FULL
    }
}
