package ai.sovereign.ingestion.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code ingestion.jobs.v1}: decodes each job and hands it to the {@link IngestionPipeline}, up to
 * {@code concurrency} at once, and commits the offsets of a poll only when all its jobs are done (at-least-once; the
 * pipeline is idempotent). Jobs of one source share a key, hence a partition, and run in order within a poll because
 * a later job of the same source waits for the earlier one.
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
            consumer.subscribe(List.of(Topics.INGESTION_JOBS));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    process(records);
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("ingestion worker stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        Semaphore permits = new Semaphore(settings.concurrency());
        Map<String, Future<?>> lastOfKey = new java.util.HashMap<>();
        List<Future<?>> all = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            IngestionJob job = decode(record);
            if (job == null) {
                continue;
            }
            Future<?> before = lastOfKey.get(job.sourceId());
            Future<?> future = jobs.submit(() -> {
                awaitQuietly(before);
                permits.acquireUninterruptibly();
                try {
                    pipeline.handle(job);
                } catch (RuntimeException e) {
                    LOG.error("job {} for source {} failed unexpectedly", job.jobId(), job.sourceId(), e);
                } finally {
                    permits.release();
                }
            });
            lastOfKey.put(job.sourceId(), future);
            all.add(future);
        }
        all.forEach(IngestionWorker::awaitQuietly);
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

    private static void awaitQuietly(Future<?> future) {
        if (future == null) {
            return;
        }
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // logged by the task itself
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
