package ai.sovereign.router.queue;

import ai.sovereign.router.balance.CandidateSelector;
import ai.sovereign.router.balance.Candidates;
import ai.sovereign.router.balance.LeastLoadedBalancer;
import ai.sovereign.router.balance.Pick;
import ai.sovereign.router.config.QueueSettings;
import ai.sovereign.router.config.VersionedRoutingConfig;
import ai.sovereign.router.fleet.BackendServer;
import ai.sovereign.router.fleet.FleetRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides where each request attempt goes ({@link RouteDecision}) and hands freed slots to waiting requests in
 * priority/FIFO order. One lock covers the queue and every slot taken through it, so a server's
 * {@code maxConcurrency} holds and no request overtakes an earlier one of the same model and priority.
 */
@Singleton
public class SlotScheduler {

    /** Safety net for changes nobody announces (a breaker's recovery timeout passing, a ban expiring). */
    private static final long TICK_MS = 250;

    private static final double HOLD_ALPHA = 0.1;

    private final ReentrantLock lock = new ReentrantLock();
    private final AdmissionQueue queue = new AdmissionQueue();
    private final CandidateSelector selector;
    private final LeastLoadedBalancer balancer;
    private final ScheduledExecutorService timer;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final java.util.concurrent.ScheduledFuture<?> tick;
    private volatile QueueSettings settings;
    private volatile boolean paused;
    private volatile double meanHoldMs = 1000;

    public SlotScheduler(
            CandidateSelector selector,
            LeastLoadedBalancer balancer,
            FleetRegistry fleet,
            VersionedRoutingConfig config,
            @Named("router-timer") ScheduledExecutorService timer) {
        this.selector = selector;
        this.balancer = balancer;
        this.timer = timer;
        this.settings = config.config().queue();
        config.subscribe(next -> {
            settings = next.queue();
            dispatch();
        });
        fleet.onCapacityChange(this::dispatch);
        this.tick = timer.scheduleWithFixedDelay(this::dispatch, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Places one attempt: a slot now, a place in the queue, or a refusal. */
    public RouteDecision route(RouteRequest request) {
        RouteDecision decision;
        lock.lock();
        try {
            Candidates candidates = selector.select(request.model(), true);
            if (candidates.isEmpty()) {
                return new RouteDecision.Reject(
                        RouteDecision.Reason.NO_SERVER,
                        "no server can serve model '" + request.model() + "' now: "
                                + String.join("; ", candidates.excluded()),
                        5);
            }
            if (!paused && !queue.hasWaitingFor(request.model())) {
                Pick pick = balancer.pick(request.model(), candidates.eligible(), request.tried(), request.hint());
                if (pick != null) {
                    return new RouteDecision.Forward(lease(pick, request.model()));
                }
            }
            QueueSettings limits = settings;
            if (queue.size() >= limits.maxSize()) {
                rejected.incrementAndGet();
                return new RouteDecision.Reject(
                        RouteDecision.Reason.QUEUE_FULL,
                        "the queue is full (" + queue.size() + " of queue.maxSize " + limits.maxSize()
                                + " requests waiting); retry later",
                        retryAfterSeconds(candidates.eligible(), limits));
            }
            QueuedRequest ticket = new QueuedRequest(request, sequence.incrementAndGet(), Instant.now());
            queue.add(ticket);
            ticket.deadline(timer.schedule(
                    () -> expire(ticket, limits.timeoutMs()), limits.timeoutMs(), TimeUnit.MILLISECONDS));
            decision = new RouteDecision.Queue(ticket);
        } finally {
            lock.unlock();
        }
        dispatch();
        return decision;
    }

    /** Hands free slots to waiting requests, in order; a request whose model has no free slot keeps waiting. */
    public void dispatch() {
        if (paused) {
            return;
        }
        List<Grant> grants = new ArrayList<>();
        lock.lock();
        try {
            if (paused) {
                return;
            }
            Set<String> full = new HashSet<>();
            for (QueuedRequest ticket : queue.inOrder()) {
                String model = ticket.request().model();
                if (full.contains(model)) {
                    continue;
                }
                Candidates candidates = selector.select(model, false);
                Pick pick = candidates.isEmpty()
                        ? null
                        : balancer.pick(
                                model,
                                candidates.eligible(),
                                ticket.request().tried(),
                                ticket.request().hint());
                if (pick == null) {
                    full.add(model);
                    continue;
                }
                queue.remove(ticket);
                ticket.cancelDeadline();
                grants.add(new Grant(ticket, lease(pick, model)));
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock: completing a future runs the request's next step on this thread.
        for (Grant grant : grants) {
            if (!grant.ticket().slot().complete(grant.lease())) {
                grant.lease().release();
            }
        }
    }

    private record Grant(QueuedRequest ticket, SlotLease lease) {}

    /** Takes a slot on one given server, bypassing the queue (recovery tests); null when it is full. */
    public SlotLease tryAcquire(BackendServer server, String model) {
        lock.lock();
        try {
            return server.tryAcquire() ? new SlotLease(server, model, false, this::released) : null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a waiting request (its client went away). */
    public void cancel(QueuedRequest ticket) {
        lock.lock();
        try {
            if (queue.remove(ticket)) {
                ticket.cancelDeadline();
            }
        } finally {
            lock.unlock();
        }
        ticket.slot().cancel(false);
    }

    /** Paused: requests keep queueing up to {@code queue.maxSize}, none is dispatched. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        dispatch();
    }

    public boolean paused() {
        return paused;
    }

    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public int maxSize() {
        return settings.maxSize();
    }

    public long rejectedTotal() {
        return rejected.get();
    }

    public long timedOutTotal() {
        return timedOut.get();
    }

    public QueueSnapshot snapshot(int limit) {
        lock.lock();
        try {
            Instant now = Instant.now();
            List<QueueSnapshot.Entry> entries = new ArrayList<>();
            int position = 0;
            for (QueuedRequest ticket : queue.inOrder()) {
                if (position >= limit) {
                    break;
                }
                entries.add(new QueueSnapshot.Entry(
                        ++position,
                        ticket.request().requestId(),
                        ticket.request().model(),
                        ticket.request().priority(),
                        ticket.enqueuedAt(),
                        Duration.between(ticket.enqueuedAt(), now).toMillis()));
            }
            QueueSettings limits = settings;
            return new QueueSnapshot(
                    queue.size(),
                    limits.maxSize(),
                    limits.timeoutMs(),
                    paused,
                    rejected.get(),
                    timedOut.get(),
                    queue.perModel(),
                    entries);
        } finally {
            lock.unlock();
        }
    }

    private SlotLease lease(Pick pick, String model) {
        return new SlotLease(pick.server(), model, pick.probe(), this::released);
    }

    @SuppressWarnings(
            "NonAtomicVolatileUpdate") // an estimate: an update lost to a concurrent release only slows the average
    private void released(SlotLease lease) {
        meanHoldMs += HOLD_ALPHA * (lease.heldNanos() / 1e6 - meanHoldMs);
        dispatch();
    }

    private void expire(QueuedRequest ticket, long timeoutMs) {
        boolean removed;
        lock.lock();
        try {
            removed = queue.remove(ticket);
        } finally {
            lock.unlock();
        }
        if (removed) {
            timedOut.incrementAndGet();
            ticket.slot()
                    .completeExceptionally(new QueueTimeoutException("request waited " + timeoutMs
                            + " ms (queue.timeoutMs) in the queue without a free slot for model '"
                            + ticket.request().model() + "'"));
        }
    }

    /** When a slot is likely free for one more request: the queue ahead, spread over the candidates' slots. */
    private long retryAfterSeconds(List<BackendServer> candidates, QueueSettings limits) {
        int slots = Math.max(
                1, candidates.stream().mapToInt(s -> s.spec().maxConcurrency()).sum());
        double seconds = (queue.size() + 1.0) / slots * meanHoldMs / 1000;
        return Math.max(1, Math.min((long) Math.ceil(seconds), Math.max(1, limits.timeoutMs() / 1000)));
    }

    @PreDestroy
    void stop() {
        tick.cancel(false);
    }
}
