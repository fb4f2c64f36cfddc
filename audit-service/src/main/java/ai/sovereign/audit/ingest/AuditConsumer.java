package ai.sovereign.audit.ingest;

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
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.runtime.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop on its own thread: poll a batch, classify it, write it in one database transaction, and only then
 * commit the offsets to Kafka. The write runs on a second thread so that the next batch is polled and classified
 * meanwhile; there is never more than one batch in flight, so batches are written in offset order. The database also stores the next offset per partition in that transaction and the
 * loop seeks there whenever partitions are assigned, so a crash at any point re-reads at most the uncommitted batch
 * and the writer skips whatever the database already has. A batch the database does not take is retried from the
 * same offsets with a growing back-off; malformed records never stop the loop, they become dead letters.
 */
@Singleton
public final class AuditConsumer implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(AuditConsumer.class);

    private final ConsumerSettings settings;
    private final KafkaSettings kafka;
    private final RecordClassifier classifier;
    private final BatchWriter writer;
    private final IngestMetrics metrics;
    private final AuditDatabase database;
    private final MeterRegistry registry;

    private Thread thread;
    /** The batch being written on the writer thread; only the poll thread reads or replaces it. */
    private InFlight inFlight;
    private int failures;
    private CountDownLatch stopSignal = new CountDownLatch(0);
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile IngestStatus status = new IngestStatus(false, null, 0, null);

    public AuditConsumer(ConsumerSettings settings, KafkaSettings kafka, RecordClassifier classifier, BatchWriter writer,
                         IngestMetrics metrics, AuditDatabase database, MeterRegistry registry) {
        this.settings = settings;
        this.kafka = kafka;
        this.classifier = classifier;
        this.writer = writer;
        this.metrics = metrics;
        this.database = database;
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        if (settings.enabled()) {
            start();
        }
    }

    /** A batch handed to the writer thread whose offsets are not yet committed to Kafka. */
    private record InFlight(ConsumerRecords<byte[], byte[]> records, Future<BatchOutcome> result, long classifyNanos,
                            long submittedAt) {
    }

    /** Starts the poll loop unless it runs. */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        stopSignal = new CountDownLatch(1);
        CountDownLatch signal = stopSignal;
        status = new IngestStatus(true, status.lastBatchAt(), 0, null);
        thread = Thread.ofPlatform().name("audit-ingest").daemon(true).start(() -> run(signal));
    }

    /** Stops the loop after the batch in hand, and waits for it. */
    @PreDestroy
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        stopSignal.countDown();
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    public IngestStatus status() {
        return status;
    }

    private void run(CountDownLatch stopSignal) {
        ExecutorService writes = Executors.newSingleThreadExecutor(
                task -> Thread.ofPlatform().name("audit-ingest-writer").daemon(true).unstarted(task));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaClientMetrics clientMetrics = new KafkaClientMetrics(c)) {
            clientMetrics.bindTo(registry);
            consumer = c;
            c.subscribe(classifier.topics(), new SeekToStoredPositions(c));
            failures = 0;
            while (stopSignal.getCount() > 0) {
                try {
                    ConsumerRecords<byte[], byte[]> records = c.poll(settings.pollTimeout());
                    reportLag(c);
                    // decode the next batch while the previous one is being written
                    long started = System.nanoTime();
                    List<Classified> batch = records.isEmpty() ? List.of() : classify(records);
                    long classifyNanos = System.nanoTime() - started;
                    InFlight previous = inFlight;
                    if (previous != null && !complete(c)) {
                        // the previous batch was not written: it is read again from its first offsets, and what was
                        // polled after it is dropped and read again too
                        rewindExcept(c, records, previous.records().partitions());
                        if (stopSignal.await(backoff(failures).toMillis(), TimeUnit.MILLISECONDS)) {
                            break;
                        }
                        continue;
                    }
                    if (!records.isEmpty()) {
                        inFlight = new InFlight(records, writes.submit(() -> writer.write(batch)), classifyNanos,
                                System.nanoTime());
                    }
                } catch (WakeupException e) {
                    break;
                }
            }
            if (inFlight != null) {
                try {
                    complete(c); // the batch in hand
                } catch (WakeupException e) {
                    LOG.debug("offset commit cut short by the shutdown; the stored positions cover it");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("audit consumer stopped: {}", e.getMessage(), e);
            status = new IngestStatus(false, status.lastBatchAt(), status.consecutiveFailures(), e.getMessage());
            return;
        } finally {
            consumer = null;
            inFlight = null;
            writes.shutdown();
        }
        status = new IngestStatus(false, status.lastBatchAt(), status.consecutiveFailures(), status.lastError());
    }

    /**
     * Waits for the batch in flight; when its transaction committed, commits its offsets to Kafka and returns true.
     * When it failed, rewinds its partitions to its first offsets, counts the failure and returns false. Runs on the
     * poll thread only (also from the rebalance listener, which runs inside {@code poll}).
     */
    private boolean complete(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
        InFlight done = inFlight;
        inFlight = null;
        try {
            BatchOutcome outcome = done.result().get();
            metrics.batch(done.records().count(), done.classifyNanos(), System.nanoTime() - done.submittedAt());
            metrics.record(outcome);
            outcome.rejections().forEach(reason -> LOG.warn("dead letter: {}", reason));
            failures = 0;
            status = new IngestStatus(true, Instant.now(), 0, null);
            commit(c, done.records());
            return true;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            failures++;
            metrics.failure();
            status = new IngestStatus(true, status.lastBatchAt(), failures, cause.getMessage());
            LOG.error("batch of {} records not ingested (attempt {}), retrying from the same offsets: {}",
                    done.records().count(), failures, cause.getMessage(), cause);
            rewind(c, done.records());
            return false;
        }
    }

    private List<Classified> classify(ConsumerRecords<byte[], byte[]> records) {
        List<Classified> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            batch.add(classifier.classify(new KafkaRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value())));
        }
        return batch;
    }

    /** After the database commit; a failure here costs only a re-read that the database positions skip. */
    private static void commit(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.getLast().offset() + 1));
        }
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("offset commit failed after the database commit; the stored positions cover it: {}", e.getMessage());
        }
    }

    private static void rewind(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        rewindExcept(c, records, Set.of());
    }

    /** Seeks each partition of {@code records} not in {@code except} back to its first record. */
    private static void rewindExcept(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records,
                                     Set<TopicPartition> except) {
        for (TopicPartition partition : records.partitions()) {
            if (!except.contains(partition) && c.assignment().contains(partition)) {
                c.seek(partition, records.records(partition).getFirst().offset());
            }
        }
    }

    private Duration backoff(int failures) {
        long millis = Math.min(settings.maxRetryBackoff().toMillis(), 250L << Math.min(failures - 1, 10));
        return Duration.ofMillis(millis);
    }

    private void reportLag(KafkaConsumer<byte[], byte[]> c) {
        Map<String, Long> byTopic = new HashMap<>();
        classifier.topics().forEach(t -> byTopic.put(t, 0L));
        for (TopicPartition partition : c.assignment()) {
            c.currentLag(partition).ifPresent(lag -> byTopic.merge(partition.topic(), lag, Long::sum));
        }
        byTopic.forEach(metrics::lag);
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, kafka.clientIdPrefix() + "-consumer");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1, settings.sessionTimeout().toMillis() / 3));
        return props;
    }

    /**
     * Seeks newly assigned partitions to the next offset stored in the database, which is ahead of Kafka's committed
     * offset after a crash between the two commits, and behind it after the database was restored from a backup.
     */
    private final class SeekToStoredPositions implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> consumer;

        SeekToStoredPositions(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

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
                LOG.warn("could not read the stored positions ({}); starting from Kafka's committed offsets, the writer"
                        + " skips what the database already has", e.getMessage());
            }
        }

        /** Lets the batch in flight finish (and commits its offsets) before another consumer takes the partitions. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (inFlight == null) {
                return;
            }
            try {
                complete(consumer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
