package ai.sovereign.ingestion.pipeline;

import java.time.Duration;
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

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventFormatException;
import ai.sovereign.events.IngestionJob;
import ai.sovereign.events.Topics;
import ai.sovereign.runtime.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
@Context
@Requires(property = "ingestion.worker.enabled", notEquals = "false")
public class IngestionWorker {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionWorker.class);

    private final KafkaSettings kafka;
    private final WorkerSettings settings;
    private final IngestionPipeline pipeline;
    private final IngestionMetrics metrics;
    private final MeterRegistry registry;
    private final Admin admin;
    private final EventCodec codec = new EventCodec();
    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore permits;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread loop;

    public IngestionWorker(KafkaSettings kafka, WorkerSettings settings, IngestionPipeline pipeline, IngestionMetrics metrics,
                           MeterRegistry registry, Admin admin) {
        this.kafka = kafka;
        this.settings = settings;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.registry = registry;
        this.admin = admin;
        this.permits = new Semaphore(settings.concurrency());
    }

    @PostConstruct
    void start() {
        ensureTopic();
        loop = Thread.ofPlatform().name("ingestion-worker").daemon().start(this::run);
    }

    private void ensureTopic() {
        try {
            admin.createTopics(List.of(new NewTopic(Topics.INGESTION_JOBS, settings.partitions(), (short) 1))).all().get();
        } catch (Exception e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("could not create topic {} (the broker may create it on first use): {}", Topics.INGESTION_JOBS, e.getMessage());
            }
        }
    }

    private void run() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
                ConsumerConfig.CLIENT_ID_CONFIG, kafka.clientIdPrefix() + "-worker",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(8, settings.concurrency() * 4),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 900_000),
                new StringDeserializer(), new ByteArrayDeserializer());
        new KafkaClientMetrics(consumer).bindTo(registry);
        try {
            consumer.subscribe(List.of(Topics.INGESTION_JOBS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commitDone();
                    partitions.forEach(progress::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    start(record);
                }
                commitDone();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("ingestion worker stopped", e);
        } finally {
            try {
                permits.tryAcquire(settings.concurrency(), 10, TimeUnit.SECONDS);
                commitDone();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("could not commit the last offsets: {}", e.getMessage());
            }
            consumer.close(Duration.ofSeconds(5));
        }
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

    /** Commits, per partition, the offset below which every job is done, when it moved. */
    private void commitDone() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, p) -> {
            long safe = p.safe();
            if (safe > p.committed) {
                offsets.put(partition, new OffsetAndMetadata(safe));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> progress.get(partition).committed = offset.offset());
        }
    }

    private IngestionJob decode(ConsumerRecord<String, byte[]> record) {
        try {
            CloudEvent<IngestionJob> event = codec.decode(record.value(), IngestionJob.class);
            return event.data();
        } catch (EventFormatException | NullPointerException e) {
            LOG.warn("skipping malformed job at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            metrics.skippedJob("malformed");
            return null;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (loop != null) {
            loop.join(10_000);
        }
        jobs.shutdownNow();
    }
}
