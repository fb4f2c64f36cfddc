package ai.sovereign.ingestion.pipeline;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventFormatException;
import ai.sovereign.events.IngestionJob;
import ai.sovereign.events.Topics;
import io.micronaut.configuration.kafka.ConsumerAware;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code ingestion.jobs.v1}: decodes each job and hands it to the {@link IngestionPipeline}, keeping up to
 * {@code concurrency} jobs in flight continuously (a new one starts as soon as one ends, across polls, so the
 * embedding batches and group commits stay full). Per partition it commits the offset below which every job is done
 * (at-least-once; the pipeline is idempotent, so a job re-delivered after a crash or a rebalance changes nothing).
 * Jobs of one source share a key, hence a partition, and run in order: a later job of the same source waits for the
 * earlier one.
 */
@KafkaListener(
        groupId = "${ingestion.worker.group-id:ingestion-workers}",
        clientId = "${micronaut.application.name:ingestion}-worker",
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.DISABLED,
        batch = true,
        pollTimeout = "200ms",
        properties = {
            @Property(
                    name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    value = "${ingestion.worker.max-poll-records:128}"),
            @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value = "900000")
        })
@Requires(property = "ingestion.worker.enabled", notEquals = "false")
public class IngestionWorker implements ConsumerRebalanceListener, ConsumerAware<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionWorker.class);

    private final WorkerSettings settings;
    private final IngestionPipeline pipeline;
    private final IngestionMetrics metrics;
    private final AdminClient admin;
    private final EventCodec codec = new EventCodec();
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore permits;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    /** The consumer micronaut-kafka runs this listener on; used only on its poll thread (here and in the callbacks). */
    private Consumer<String, byte[]> consumer;

    public IngestionWorker(
            WorkerSettings settings, IngestionPipeline pipeline, IngestionMetrics metrics, AdminClient admin) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.admin = admin;
        this.permits = new Semaphore(settings.concurrency());
    }

    /** Before micronaut-kafka subscribes: the topic with {@code ingestion.worker.partitions} partitions. */
    @PostConstruct
    void ensureTopic() {
        try {
            admin.createTopics(List.of(new NewTopic(Topics.INGESTION_JOBS, settings.partitions(), (short) 1)))
                    .all()
                    .get();
        } catch (Exception e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn(
                        "could not create topic {} (the broker may create it on first use): {}",
                        Topics.INGESTION_JOBS,
                        e.getMessage());
            }
        }
    }

    /**
     * Starts each job once a slot is free (waiting here holds back the next poll, which is the point), then commits
     * what is done. Jobs that finish after the last batch are committed with the next one or when the partitions are
     * revoked (a rebalance, the shutdown).
     */
    @Topic(Topics.INGESTION_JOBS)
    void receive(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            start(record);
        }
        commitDone(false);
    }

    @Override
    public void setKafkaConsumer(Consumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    /** Lets the running jobs finish (up to 10 s) and commits them before the partitions go elsewhere. */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        try {
            if (permits.tryAcquire(settings.concurrency(), 10, TimeUnit.SECONDS)) {
                permits.release(settings.concurrency());
            }
            commitDone(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            throw e; // the shutdown's signal to micronaut-kafka's poll loop
        } catch (RuntimeException e) {
            LOG.warn("could not commit the offsets of finished jobs: {}", e.getMessage());
        }
        partitions.forEach(progress::remove);
    }

    /** Offsets of one partition: the next one to read, and those whose job is still running. */
    private static final class PartitionProgress {
        final ConcurrentSkipListSet<Long> running = new ConcurrentSkipListSet<>();
        volatile long next = -1;
        long committed = -1;

        /** Every offset below this one is done. */
        long safe() {
            Long first = running.ceiling(Long.MIN_VALUE);
            return first != null ? first : next;
        }
    }

    /** Starts the record's job once a slot is free (waiting here holds back the next poll, which is the point). */
    private void start(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress p = progress.computeIfAbsent(partition, k -> new PartitionProgress());
        p.next = record.offset() + 1;
        IngestionJob job = decode(record);
        if (job == null) {
            return;
        }
        p.running.add(record.offset());
        permits.acquireUninterruptibly();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = lastOfKey.put(job.sourceId(), done);
        jobs.submit(() -> {
            try {
                if (before != null) {
                    before.exceptionally(e -> null).join();
                }
                pipeline.handle(job);
            } catch (RuntimeException e) {
                LOG.error("job {} for source {} failed unexpectedly", job.jobId(), job.sourceId(), e);
            } finally {
                p.running.remove(record.offset());
                lastOfKey.remove(job.sourceId(), done);
                done.complete(null);
                permits.release();
            }
        });
    }

    /**
     * Commits, per partition, the offset below which every job is done, when it moved: synchronously when the
     * partitions are about to go, else asynchronously (a blocking commit inside the listener could take the shutdown's
     * wake-up meant for micronaut-kafka's poll loop, which would then never close).
     */
    private void commitDone(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, p) -> {
            long safe = p.safe();
            if (safe > p.committed) {
                offsets.put(partition, new OffsetAndMetadata(safe));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.warn(
                            "offset commit failed; the jobs are delivered again and change nothing: {}",
                            error.getMessage());
                }
            });
        }
        offsets.forEach((partition, offset) -> {
            PartitionProgress p = progress.get(partition);
            if (p != null) {
                p.committed = offset.offset();
            }
        });
    }

    private IngestionJob decode(ConsumerRecord<String, byte[]> record) {
        try {
            CloudEvent<IngestionJob> event = codec.decode(record.value(), IngestionJob.class);
            return event.data();
        } catch (EventFormatException | NullPointerException e) {
            LOG.warn(
                    "skipping malformed job at {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            metrics.skippedJob("malformed");
            return null;
        }
    }

    /** Takes no new job and lets those running finish (up to 10 s); micronaut-kafka then closes the consumer. */
    @PreDestroy
    void stop() throws InterruptedException {
        jobs.shutdown();
        if (!jobs.awaitTermination(10, TimeUnit.SECONDS)) {
            jobs.shutdownNow();
        }
    }
}
