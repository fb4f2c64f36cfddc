package ai.sovereign.audit.ingest;

import ai.sovereign.audit.chain.AuditEntry;
import ai.sovereign.events.UsageRecord;
import java.time.Instant;
import java.util.UUID;

/** What a Kafka record turned out to be: an audit event to chain, a usage record for the ledger, or a dead letter. */
public sealed interface Classified {

    KafkaRecord record();

    /** An audit event with its canonical JSON (what is hashed) and its details as canonical JSON (what is stored). */
    record Audit(KafkaRecord record, AuditEntry entry, byte[] canonical, String detailsJson) implements Classified {}

    /** A usage record with its envelope id, time and source. */
    record Usage(KafkaRecord record, UUID id, Instant time, String source, UsageRecord usage) implements Classified {}

    /** A record that cannot be ingested, and why; it goes to the dead-letter table with its raw bytes. */
    record Rejected(KafkaRecord record, String reason) implements Classified {}
}
