package ai.sovereign.audit.ingest;

import io.micronaut.core.annotation.Nullable;

/** A record as read from Kafka, before it is understood: where it was and its raw bytes. */
public record KafkaRecord(
        String topic,
        int partition,
        long offset,
        @Nullable byte[] key,
        @Nullable byte[] value) {}
