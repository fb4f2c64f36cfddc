package ai.sovereign.events;

/**
 * The {@code data} of a {@link CloudEvent}: one record per contract. The set is closed so that a consumer of
 * several types can {@code switch} over {@code event.data()} exhaustively.
 */
public sealed interface EventPayload
        permits AuditEvent, UsageRecord, GpuTelemetry, FleetCommand, FleetCommandResult, IngestionJob {

    /** The Kafka record key: events with the same key land on one partition and stay in order. */
    String partitionKey();
}
