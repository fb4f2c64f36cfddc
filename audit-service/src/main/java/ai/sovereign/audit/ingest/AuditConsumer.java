package ai.sovereign.audit.ingest;

import ai.sovereign.audit.store.AuditDatabase;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of {@code audit.events.v1} and {@code llm.usage.v1}, a micronaut-kafka batch listener with its offsets
 * committed by hand: each poll's batch is classified on the poll thread, then written in one database transaction on
 * a writer thread while the next batch is polled and classified; the Kafka offsets of a batch are committed only once
 * its transaction has committed (when the next batch arrives, or when the partitions are revoked). There is never more
 * than one batch in flight, so batches are written in offset order. The database also stores the next offset per
 * partition in that transaction and the consumer seeks there whenever partitions are assigned, so a crash at any point
 * re-reads at most the uncommitted batch and the writer skips whatever the database already has. A batch the database
 * does not take is written again, from memory, with a growing back-off (the poll thread waits for it, so nothing
 * newer is read meanwhile); malformed records never stop the consumer, they become dead letters.
 */
@KafkaListener(
        groupId = "${audit.consumer.group-id:audit-service}",
        clientId = "${micronaut.application.name:audit-service}-consumer",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED,
        batch = true,
        isolation = IsolationLevel.READ_COMMITTED,
        pollTimeout = "${audit.consumer.poll-timeout:500ms}",
        sessionTimeout = "${audit.consumer.session-timeout:10s}",
        heartbeatInterval = "${audit.consumer.heartbeat-interval:3s}",
        properties = {
            @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG, value = "${audit.consumer.max-poll-records:5000}"),
            @Property(name = ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, value = "4194304")
        })
@Requires(property = "audit.consumer.enabled", notEquals = "false")
public final class AuditConsumer
        implements ConsumerRebalanceListener, ConsumerAware<byte[], byte[]>, ApplicationEventListener<ShutdownEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(AuditConsumer.class);

    private final ConsumerSettings settings;
    private final RecordClassifier classifier;
    private final BatchWriter writer;
    private final IngestMetrics metrics;
    private final AuditDatabase database;
    private final ExecutorService writes = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().name("audit-ingest-writer").daemon(true).unstarted(task));
    private final CountDownLatch stopping = new CountDownLatch(1);

    /** The consumer micronaut-kafka runs this listener on; used on its poll thread only (here and in the callbacks). */
    private Consumer<byte[], byte[]> consumer;
    /** The batch being written whose offsets are not yet committed to Kafka; poll thread only. */
    private InFlight inFlight;
    /** Failed attempts in a row; writer thread only. */
    private int failures;

    private volatile IngestStatus status = new IngestStatus(false, null, 0, null);

    public AuditConsumer(
            ConsumerSettings settings,
            RecordClassifier classifier,
            BatchWriter writer,
            IngestMetrics metrics,
            AuditDatabase database) {
        this.settings = settings;
        this.classifier = classifier;
        this.writer = writer;
        this.metrics = metrics;
        this.database = database;
    }

    /** A batch handed to the writer thread; {@code abandoned} tells the writer to stop retrying it. */
    private record InFlight(
            List<ConsumerRecord<byte[], byte[]>> records, Future<Boolean> written, AtomicBoolean abandoned) {}

    @Topic({"${audit.consumer.audit-topic:audit.events.v1}", "${audit.consumer.usage-topic:llm.usage.v1}"})
    void receive(List<ConsumerRecord<byte[], byte[]>> records) {
        reportLag();
        long started = System.nanoTime();
        List<Classified> batch = classify(records);
        long classifyNanos = System.nanoTime() - started;
        finishInFlight(null); // the previous batch: written by now or being retried; its offsets committed
        AtomicBoolean abandoned = new AtomicBoolean();
        long submittedAt = System.nanoTime();
        inFlight = new InFlight(
                records, writes.submit(() -> writeUntilDone(batch, classifyNanos, submittedAt, abandoned)), abandoned);
    }

    public IngestStatus status() {
        return status;
    }

    @Override
    public void setKafkaConsumer(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        status = new IngestStatus(
                consumer != null, status.lastBatchAt(), status.consecutiveFailures(), status.lastError());
    }

    /**
     * Writes the batch, again and again with a growing back-off while the database refuses it, until it is written,
     * abandoned (its partitions went to another consumer) or the service stops. Runs on the writer thread.
     */
    private boolean writeUntilDone(
            List<Classified> batch, long classifyNanos, long submittedAt, AtomicBoolean abandoned)
            throws InterruptedException {
        while (stopping.getCount() > 0 && !abandoned.get()) {
            try {
                BatchOutcome outcome = writer.write(batch);
                metrics.batch(batch.size(), classifyNanos, System.nanoTime() - submittedAt);
                metrics.record(outcome);
                outcome.rejections().forEach(reason -> LOG.warn("dead letter: {}", reason));
                failures = 0;
                status = new IngestStatus(true, Instant.now(), 0, null);
                return true;
            } catch (SQLException | RuntimeException e) {
                failures++;
                metrics.failure();
                status = new IngestStatus(true, status.lastBatchAt(), failures, e.getMessage());
                LOG.error(
                        "batch of {} records not ingested (attempt {}), retrying: {}",
                        batch.size(),
                        failures,
                        e.getMessage(),
                        e);
                stopping.await(backoff(failures).toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return false;
    }

    /**
     * Waits (up to {@code limit}, or as long as it takes when null) for the batch in flight and, when it was written,
     * commits its offsets. A batch not written in time is abandoned: the next owner of its partitions reads it again
     * from the positions stored in the database.
     */
    private void finishInFlight(Duration limit) {
        InFlight done = inFlight;
        if (done == null) {
            return;
        }
        inFlight = null;
        boolean written;
        try {
            written =
                    limit == null ? done.written().get() : done.written().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.abandoned().set(true);
            LOG.warn(
                    "a batch of {} records was still being written after {}; left to the next owner of its partitions",
                    done.records().size(),
                    limit);
            return;
        } catch (ExecutionException e) {
            LOG.error(
                    "a batch of {} records was not written: {}",
                    done.records().size(),
                    e.getCause().getMessage(),
                    e.getCause());
            return;
        } catch (InterruptedException e) {
            done.abandoned().set(true);
            Thread.currentThread().interrupt();
            return;
        }
        if (written) {
            commit(done.records());
        }
    }

    private List<Classified> classify(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Classified> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            batch.add(classifier.classify(new KafkaRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value())));
        }
        return batch;
    }

    /**
     * After the database commit, asynchronously: a blocking commit inside the listener could take the shutdown's
     * wake-up meant for micronaut-kafka's poll loop (which would then never close). A failed commit costs only a
     * re-read that the database positions skip.
     */
    private void commit(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) { // in offset order per partition: the last one wins
            offsets.put(
                    new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.warn(
                        "offset commit failed after the database commit; the stored positions cover it: {}",
                        error.getMessage());
            }
        });
    }

    private Duration backoff(int failures) {
        long millis = Math.min(settings.maxRetryBackoff().toMillis(), 250L << Math.min(failures - 1, 10));
        return Duration.ofMillis(millis);
    }

    private void reportLag() {
        Map<String, Long> byTopic = new HashMap<>();
        classifier.topics().forEach(t -> byTopic.put(t, 0L));
        for (TopicPartition partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(lag -> byTopic.merge(partition.topic(), lag, Long::sum));
        }
        byTopic.forEach(metrics::lag);
    }

    /**
     * Seeks newly assigned partitions to the next offset stored in the database, which is ahead of Kafka's committed
     * offset after a crash between the two commits, and behind it after the database was restored from a backup.
     */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT next_offset FROM consumer_positions WHERE topic = ? AND partition = ?")) {
            for (TopicPartition partition : partitions) {
                select.setString(1, partition.topic());
                select.setInt(2, partition.partition());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        consumer.seek(partition, rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn(
                    "could not read the stored positions ({}); starting from Kafka's committed offsets, the writer"
                            + " skips what the database already has",
                    e.getMessage());
        }
    }

    /** Lets the batch in flight finish (and commits its offsets) before another consumer takes the partitions. */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        finishInFlight(settings.sessionTimeout());
    }

    /**
     * The shutdown begins (before any bean is closed): a batch the database refuses is no longer retried, so the
     * listener returns and micronaut-kafka's poll loop can see its wake-up and close the consumer.
     */
    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        stopping.countDown();
    }

    /** Stops retrying, lets the batch being written finish (up to 30 s). */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping.countDown();
        writes.shutdown();
        if (!writes.awaitTermination(30, TimeUnit.SECONDS)) {
            writes.shutdownNow();
        }
        status = new IngestStatus(false, status.lastBatchAt(), status.consecutiveFailures(), status.lastError());
    }
}
