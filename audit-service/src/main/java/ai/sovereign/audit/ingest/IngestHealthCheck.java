package ai.sovereign.audit.ingest;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The consumer as a {@code /health} component ({@code ingest}): DOWN when it should run and does not, or when the
 * database has refused {@value #FAILURES_DOWN} batches in a row (they are being retried; nothing is lost, but the
 * trail is falling behind). Absent when {@code audit.consumer.enabled} is false.
 */
@Singleton
@Requires(property = "audit.consumer.enabled", notEquals = "false")
public final class IngestHealthCheck implements HealthCheck {

    static final int FAILURES_DOWN = 3;

    private final AuditConsumer consumer;
    private final ConsumerSettings settings;

    public IngestHealthCheck(AuditConsumer consumer, ConsumerSettings settings) {
        this.consumer = consumer;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public CheckResult check() {
        IngestStatus status = consumer.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", status.running());
        details.put("topics", settings.auditTopic() + "," + settings.usageTopic());
        details.put("groupId", settings.groupId());
        if (status.lastBatchAt() != null) {
            details.put("lastBatchAt", status.lastBatchAt().toString());
        }
        details.put("consecutiveFailures", status.consecutiveFailures());
        if (status.lastError() != null) {
            details.put("error", status.lastError());
        }
        boolean down = !status.running() || status.consecutiveFailures() >= FAILURES_DOWN;
        return down ? CheckResult.down(details) : CheckResult.up(details);
    }
}
