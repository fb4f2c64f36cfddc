package ai.sovereign.runtime.outbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;

/**
 * The service's outbox, on when {@code sovereign.outbox.directory} is set: {@link #append} journals an event durably
 * ({@link OutboxJournal}) and the {@link OutboxRelay} sends it on to Kafka, now or after an outage or a restart.
 * Metrics: {@code outbox_pending_events}, {@code outbox_pending_bytes}, {@code outbox_oldest_event_age_seconds},
 * {@code outbox_damaged_records_total} (records moved aside at start, see the log line naming file and offset),
 * {@code outbox_undeliverable_events_total} (events the broker refuses for good, kept aside in the directory).
 */
@Context
@Requires(property = "sovereign.outbox.directory")
public class Outbox implements AutoCloseable {

    /** The events producer's id ({@code KafkaEventPublisher.PRODUCER}; not referenced, the kafka package uses this one). */
    static final String EVENTS_PRODUCER = "events";

    private final OutboxSettings settings;
    private final OutboxJournal journal;
    private final OutboxRelay relay;

    public Outbox(
            OutboxSettings settings,
            @KafkaClient(EVENTS_PRODUCER) Producer<String, byte[]> producer,
            MeterRegistry meters) {
        this.settings = settings;
        try {
            this.journal = OutboxJournal.open(settings.directory(), settings.maxBytes(), settings.segmentBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("sovereign.outbox.directory: " + e.getMessage(), e);
        }
        this.relay = new OutboxRelay(journal, producer, settings.sendTimeout());
        Gauge.builder("outbox.pending.events", journal, OutboxJournal::pendingEvents)
                .description("events journaled and not yet acknowledged by Kafka")
                .register(meters);
        Gauge.builder("outbox.pending.bytes", journal, OutboxJournal::pendingBytes)
                .description("bytes of events not yet relayed (sovereign.outbox.max-bytes caps them)")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("outbox.oldest.event.age", journal, OutboxJournal::oldestPendingAgeSeconds)
                .description("age of the oldest event not yet relayed to Kafka")
                .baseUnit("seconds")
                .register(meters);
        FunctionCounter.builder("outbox.damaged.records", journal, OutboxJournal::damagedRecords)
                .description("damaged journal tails moved aside at start")
                .register(meters);
        FunctionCounter.builder("outbox.undeliverable.events", journal, OutboxJournal::undeliverableEvents)
                .description("events the broker refuses for good (too large, invalid topic), kept aside")
                .register(meters);
    }

    /** Whether events of {@code topic} go through the journal (all but the replaceable ones). */
    public boolean journals(String topic) {
        return !settings.directTopics().contains(topic);
    }

    /** Journals an event; completes when it is on disk, fails when the outbox is full or the disk refuses. */
    public CompletableFuture<Void> append(String topic, String key, byte[] value) {
        return journal.append(topic, key, value);
    }

    public long pendingEvents() {
        return journal.pendingEvents();
    }

    public long pendingBytes() {
        return journal.pendingBytes();
    }

    public long maxBytes() {
        return settings.maxBytes();
    }

    public double oldestPendingAgeSeconds() {
        return journal.oldestPendingAgeSeconds();
    }

    /**
     * Whether the service takes new work: false once the journal holds {@code sovereign.outbox.max-bytes} less one
     * segment of room (so that the events of work already under way still fit), true again when the relay has caught up
     * below that.
     */
    public boolean accepting() {
        return journal.pendingBytes()
                < Math.max(settings.maxBytes() - settings.segmentBytes(), settings.maxBytes() / 2);
    }

    @PreDestroy
    @Override
    public void close() {
        relay.close();
        journal.close();
    }
}
