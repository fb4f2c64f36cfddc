package ai.sovereign.router.events;

import java.util.Map;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.UsageRecord;
import ai.sovereign.runtime.kafka.EventPublisher;
import jakarta.inject.Singleton;
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

    private final EventPublisher publisher;
    private final java.util.concurrent.ThreadPoolExecutor sender;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    public RouterEvents(EventPublisher publisher) {
        this.publisher = publisher;
        // One sender thread off the request path: a producer blocked on a broker that is down (metadata wait) must
        // delay no answer. The bound keeps memory flat while Kafka is away.
        this.sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(MAX_PENDING), runnable -> {
                    Thread thread = new Thread(runnable, "router-events");
                    thread.setDaemon(true);
                    return thread;
                }, (runnable, executor) -> {
                    if (dropped.incrementAndGet() % 1000 == 1) {
                        LOG.warn("event buffer full ({} pending): {} event(s) dropped so far; is Kafka down?",
                                MAX_PENDING, dropped.get());
                    }
                });
    }

    /** Events dropped because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    @jakarta.annotation.PreDestroy
    void stop() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    public void usage(UsageRecord record) {
        send(CloudEvent.of(SOURCE, record.requestId(), record));
    }

    /** A control-plane change made by {@code actor} on {@code resourceType}/{@code resourceId}. */
    public void audit(String actor, String action, String resourceType, String resourceId, String requestId,
                      Map<String, Object> details) {
        AuditEvent event = new AuditEvent(actor, AuditEvent.ActorType.OPERATOR, AuditEvent.PLATFORM_TENANT, action,
                resourceType, resourceId, AuditEvent.Outcome.SUCCESS, null, requestId, null, details);
        send(CloudEvent.of(SOURCE, resourceType + "/" + resourceId, event));
    }

    private void send(CloudEvent<?> event) {
        sender.execute(() -> hand(event));
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
