package ai.sovereign.audit.ingest;

import ai.sovereign.events.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code audit.consumer.*}: how the service consumes {@code audit.events.v1} and {@code llm.usage.v1}.
 *
 * @param enabled         run the consumer (a micronaut-kafka listener) with the service
 * @param groupId         Kafka consumer group
 * @param auditTopic      topic of audit events (tests use their own)
 * @param usageTopic      topic of usage records
 * @param maxPollRecords  records per poll, and so per database transaction
 * @param pollTimeout     how long one poll waits for records
 * @param sessionTimeout  how soon the group notices a dead consumer and hands its partitions to another
 * @param maxRetryBackoff longest wait between retries of a batch the database did not take
 */
@ConfigurationProperties("audit.consumer")
public record ConsumerSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "audit-service") String groupId,
        @Bindable(defaultValue = Topics.AUDIT_EVENTS) String auditTopic,
        @Bindable(defaultValue = Topics.LLM_USAGE) String usageTopic,
        @Bindable(defaultValue = "5000") int maxPollRecords,
        @Bindable(defaultValue = "500ms") Duration pollTimeout,
        @Bindable(defaultValue = "10s") Duration sessionTimeout,
        @Bindable(defaultValue = "30s") Duration maxRetryBackoff) {

    public ConsumerSettings {
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException(
                    "audit.consumer.max-poll-records must be >= 1 (got " + maxPollRecords + ")");
        }
        if (groupId.isBlank() || auditTopic.isBlank() || usageTopic.isBlank()) {
            throw new IllegalArgumentException(
                    "audit.consumer.group-id, audit-topic and usage-topic must not be blank");
        }
        if (auditTopic.equals(usageTopic)) {
            throw new IllegalArgumentException(
                    "audit.consumer.audit-topic and usage-topic must differ (both " + auditTopic + ")");
        }
    }
}
