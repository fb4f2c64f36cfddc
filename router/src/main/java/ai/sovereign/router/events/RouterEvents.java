package ai.sovereign.router.events;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UsageRecord;
import ai.sovereign.runtime.kafka.EventPublisher;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router tells the rest of the platform: an audit event per control-plane change
 * ({@code audit.events.v1}) and a usage record per finished request ({@code llm.usage.v1}). Never on the request
 * path's critical section: a failed publish is logged, not thrown.
 */
@Singleton
public class RouterEvents {

    static final String SOURCE = "/sovereign/router";
    private static final Logger LOG = LoggerFactory.getLogger(RouterEvents.class);

    /** Events waiting to be handed to the producer; past this, new events are dropped and counted. */
    static final int MAX_PENDING = 10_000;

    /**
     * How long the sender rests between batches ({@code router.events.batch-interval}, default 100 ms): events leave in
     * batches, not with a thread wake-up each, and each batch is one produce request, whose cost (this thread, the
     * producer's network thread, the broker, its consumers) hardly depends on its size. At 20 ms and 500 requests/s that
     * cost was ~85-100 µs of CPU per request on the benchmark machine, at 100 ms ~50 µs (docs/gateway.md, Performance);
     * usage and audit records reach Kafka at most ~0.1 s after the request ended, which their consumers (the ledger,
     * quotas, the audit trail) do not notice.
     */
    private final long batchNanos;

    private final EventPublisher publisher;
    private final java.util.concurrent.ConcurrentLinkedQueue<CloudEvent<?>> pending =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final Thread sender;
    private volatile boolean stopping;
    /** The sender found nothing to send and waits for the next event's signal. */
    private final java.util.concurrent.atomic.AtomicBoolean idle = new java.util.concurrent.atomic.AtomicBoolean();

    public RouterEvents(EventPublisher publisher, EventSettings settings) {
        this.publisher = publisher;
        this.batchNanos = settings.batchInterval().toNanos();
        // One sender thread off the request path: a producer blocked on a broker that is down (metadata wait) must
        // delay no answer. It drains what has gathered, rests the batch interval, and drains again, so a busy request
        // path
        // costs one queue insert per event and no cross-thread signal. The bound keeps memory flat while Kafka is away.
        this.sender = Thread.ofPlatform().name("router-events").daemon().start(this::drain);
    }

    /** Events dropped because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    @jakarta.annotation.PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        java.util.concurrent.locks.LockSupport.unpark(sender);
        sender.join(5000);
    }

    private void drain() {
        while (true) {
            CloudEvent<?> event;
            while ((event = pending.poll()) != null) {
                size.decrementAndGet();
                hand(event);
            }
            if (stopping) {
                return;
            }
            if (pending.isEmpty()) {
                idle.set(true);
                if (pending.isEmpty() && !stopping) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
                idle.set(false);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(batchNanos); // let a batch gather
        }
    }

    public void usage(UsageRecord record) {
        send(CloudEvent.of(SOURCE, record.requestId(), record));
    }

    /** A control-plane change made by {@code actor} on {@code resourceType}/{@code resourceId}. */
    public void audit(
            String actor,
            String action,
            String resourceType,
            String resourceId,
            String requestId,
            Map<String, Object> details) {
        send(auditEvent(new AuditEvent(
                actor,
                AuditEvent.ActorType.OPERATOR,
                AuditEvent.PLATFORM_TENANT,
                action,
                resourceType,
                resourceId,
                AuditEvent.Outcome.SUCCESS,
                null,
                requestId,
                null,
                details)));
    }

    /** Something a service ({@code actor}) asked for and the router refused, e.g. a server from an unlisted host. */
    public void refused(
            String actor,
            String action,
            String resourceType,
            String resourceId,
            String reason,
            Map<String, Object> details) {
        send(auditEvent(new AuditEvent(
                actor,
                AuditEvent.ActorType.SERVICE,
                AuditEvent.PLATFORM_TENANT,
                action,
                resourceType,
                resourceId,
                AuditEvent.Outcome.DENIED,
                reason,
                null,
                null,
                details)));
    }

    private static CloudEvent<AuditEvent> auditEvent(AuditEvent event) {
        return CloudEvent.of(SOURCE, event.resourceType() + "/" + event.resourceId(), event);
    }

    private void send(CloudEvent<?> event) {
        if (size.incrementAndGet() > MAX_PENDING) {
            size.decrementAndGet();
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn(
                        "event buffer full ({} pending): {} event(s) dropped so far; is Kafka down?",
                        MAX_PENDING,
                        dropped.get());
            }
            return;
        }
        pending.add(event);
        if (idle.compareAndSet(true, false)) {
            java.util.concurrent.locks.LockSupport.unpark(sender);
        }
    }

    private void hand(CloudEvent<?> event) {
        try {
            publisher.publish(event).exceptionally(error -> {
                LOG.warn("publishing {} {} failed: {}", event.type(), event.id(), error.getMessage());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("publishing {} failed: {}", event.type(), e.getMessage());
        }
    }
}
