package ai.sovereign.runtime.outbox;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code outbox} in {@code /health}: UP with what waits (events, bytes, the oldest's age); DOWN when the journal holds
 * {@code sovereign.outbox.max-bytes}, when the service refuses new work (503, {@link OutboxFullFilter}) until the relay
 * has caught up.
 */
@Singleton
@Requires(beans = Outbox.class)
public class OutboxHealthCheck implements HealthCheck {

    private final Outbox outbox;

    public OutboxHealthCheck(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pendingEvents", outbox.pendingEvents());
        details.put("pendingBytes", outbox.pendingBytes());
        details.put("maxBytes", outbox.maxBytes());
        details.put("oldestEventAgeSeconds", outbox.oldestPendingAgeSeconds());
        if (!outbox.accepting()) {
            details.put("error", "the outbox is full: Kafka has not taken its events; new work is refused with 503");
            return CheckResult.down(details);
        }
        return CheckResult.up(details);
    }
}
