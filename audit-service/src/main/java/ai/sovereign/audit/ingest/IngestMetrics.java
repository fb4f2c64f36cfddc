package ai.sovereign.audit.ingest;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest metrics: {@code audit_events_ingested_total{type}}, {@code audit_dead_letters_total},
 * {@code audit_consumer_lag{topic}}, {@code audit_last_event_timestamp_seconds} and
 * {@code audit_ingest_failures_total} (batches the database did not take, retried), and per batch
 * {@code audit_ingest_batch_seconds{phase=classify|write}} and {@code audit_ingest_batch_records}.
 */
@Singleton
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter auditEvents;
    private final Counter usageRecords;
    private final Counter deadLetters;
    private final Counter failures;
    private final Timer classifyTime;
    private final Timer writeTime;
    private final DistributionSummary batchSize;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final AtomicLong lastEventMicros = new AtomicLong(Long.MIN_VALUE);

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.auditEvents = ingested(AuditEvent.TYPE);
        this.usageRecords = ingested(UsageRecord.TYPE);
        this.deadLetters = Counter.builder("audit.dead.letters")
                .description("Records stored as dead letters (malformed, unknown type, missing fields)")
                .register(registry);
        this.failures = Counter.builder("audit.ingest.failures")
                .description("Batches the database did not take; they are retried")
                .register(registry);
        classifyTime = Timer.builder("audit.ingest.batch")
                .tag("phase", "classify")
                .description("Time per batch: decoding and checking the records, canonical JSON")
                .register(registry);
        writeTime = Timer.builder("audit.ingest.batch")
                .tag("phase", "write")
                .description("Time per batch: chaining and the database transaction")
                .register(registry);
        batchSize = DistributionSummary.builder("audit.ingest.batch.records")
                .description("Records per polled batch")
                .register(registry);
        Gauge.builder(
                        "audit.last.event.timestamp.seconds",
                        lastEventMicros,
                        v -> v.get() == Long.MIN_VALUE ? Double.NaN : v.get() / 1e6)
                .description("Event time of the newest audit event ingested, in Unix seconds")
                .register(registry);
    }

    private Counter ingested(String type) {
        return Counter.builder("audit.events.ingested")
                .tag("type", type)
                .description("Events written to the audit trail or the usage ledger")
                .register(registry);
    }

    void record(BatchOutcome outcome) {
        auditEvents.increment(outcome.auditEvents());
        usageRecords.increment(outcome.usageRecords());
        deadLetters.increment(outcome.deadLetters());
        if (outcome.latestEventTime() != null) {
            observeEventTime(ChronoUnit.MICROS.between(Instant.EPOCH, outcome.latestEventTime()));
        }
    }

    /** Remembers an event time (Unix microseconds) if it is the newest seen. */
    public void observeEventTime(long epochMicros) {
        lastEventMicros.accumulateAndGet(epochMicros, Math::max);
    }

    void batch(int records, long classifyNanos, long writeNanos) {
        batchSize.record(records);
        classifyTime.record(classifyNanos, TimeUnit.NANOSECONDS);
        writeTime.record(writeNanos, TimeUnit.NANOSECONDS);
    }

    void failure() {
        failures.increment();
    }

    void lag(String topic, long records) {
        lag.computeIfAbsent(topic, t -> {
                    AtomicLong holder = new AtomicLong();
                    Gauge.builder("audit.consumer.lag", holder, AtomicLong::get)
                            .tag("topic", t)
                            .description("Records on the topic not yet ingested")
                            .register(registry);
                    return holder;
                })
                .set(records);
    }

    /** Audit events plus usage records ingested by this process. */
    public long ingested() {
        return (long) (auditEvents.count() + usageRecords.count());
    }
}
