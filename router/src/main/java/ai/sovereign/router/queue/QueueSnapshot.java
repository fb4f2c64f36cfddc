package ai.sovereign.router.queue;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The queue as {@code GET /api/orchestrator/queue} shows it. */
@Serdeable
public record QueueSnapshot(
        int size,
        int maxSize,
        long timeoutMs,
        boolean paused,
        long rejectedTotal,
        long timedOutTotal,
        Map<String, Integer> perModel,
        List<Entry> waiting) {

    /** One waiting request, in dispatch order. */
    @Serdeable
    public record Entry(
            int position, String requestId, String model, int priority, Instant enqueuedAt, long waitingMs) {}
}
