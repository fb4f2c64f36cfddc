package ai.sovereign.bench.audit;

import ai.sovereign.bench.load.LatencySummary;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.UuidV7;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * Audit ingest rate versus a raw {@code COPY}, in one run on the same PostgreSQL.
 *
 * <ol>
 *   <li>Produces N audit events (CloudEvents JSON, as the platform's services send them) to a fresh topic.</li>
 *   <li>Starts the real audit-service (its Micronaut context, consumer, classifier, hash chains and batch writer) on a
 *       fresh database and times how fast it drains the topic into the trail: decode, validate, canonical JSON,
 *       SHA-256 chain, idempotency ids, COPY, chain heads and stored positions, commit, Kafka offset commit.</li>
 *   <li>Copies the very rows it wrote, byte for byte, into the events table of a second fresh database with a plain
 *       {@code COPY ... FROM STDIN}: the floor of what PostgreSQL itself costs.</li>
 * </ol>
 * The ingest rate is counted from the first committed batch to the last (the service start and Kafka group join before it are reported
 * separately), so both figures are rows per second of steady-state writing. The whole comparison is repeated
 * (default 3 rounds) and the median ratio reported, because the build machines are shared.
 * Arguments: events per round (200000), partitions (3), results directory (bench/results), rounds (3).
 */
public final class AuditIngestBench {

    private static final String COLUMNS =
            "id, chain, seq, kafka_offset, received_at, event_time, type, source, subject,"
                    + " datacontenttype, actor, actor_type, tenant, action, resource_type, resource_id, outcome, reason,"
                    + " request_id, client_address, details, prev_hash, hash";

    private AuditIngestBench() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path results = Path.of(args.length > 2 ? args[2] : "bench/results");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String command = "bench/audit-ingest-bench.sh " + events + " " + partitions + " " + rounds;

        LatencySummary none = new LatencySummary(0, 0, 0, 0, 0, 0);
        BenchReport report = new BenchReport("audit-ingest", command);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Round r = round(events, partitions);
            ratios.add(r.ratio());
            report.add(new LoadResult(
                            "round " + round + ": audit-service ingest (Kafka → consumer → hash chain →"
                                    + " PostgreSQL)",
                            r.ingest().rows(),
                            0,
                            r.ingest().seconds(),
                            none))
                    .add(new LoadResult(
                            "round " + round + ": raw COPY of the same rows into the same table",
                            events,
                            0,
                            r.copySeconds(),
                            none))
                    .note(String.format(
                            Locale.ROOT,
                            "round %d: ingest %.0f events/s, COPY %.0f rows/s → %.0f%% of COPY;"
                                    + " consumer: %d batches, %.2f s classifying (decode, checks, canonical JSON) overlapped"
                                    + " with %.2f s writing (chain + transaction); service start and group join %.2f s, first batch %d rows",
                            round,
                            r.ingestRate(),
                            r.copyRate(),
                            r.ratio() * 100,
                            r.batches(),
                            r.classifySeconds(),
                            r.writeSeconds(),
                            r.ingest().joinSeconds(),
                            r.ingest().firstBatch()));
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        report.note(String.format(
                        Locale.ROOT,
                        "median ingest/COPY ratio over %d rounds: %.0f%% (min %.0f%%, max %.0f%%);"
                                + " goal: at least 30%%",
                        rounds,
                        sorted.get(sorted.size() / 2) * 100,
                        sorted.getFirst() * 100,
                        sorted.getLast() * 100))
                .note(String.format(
                        Locale.ROOT,
                        "each round: %d events over %d partitions (= chains) produced to a fresh"
                                + " topic beforehand, ingested into a fresh database; the ingest is timed from its first"
                                + " committed batch to the last (rows/s of steady-state writing, like COPY)",
                        events,
                        partitions))
                .note("ingest per record: CloudEvent decode and validation (EventCodec), canonical JSON, SHA-256 link,"
                        + " idempotency id claim, COPY into the monthly partition, chain heads and Kafka positions in the"
                        + " same transaction, then the Kafka offset commit; max.poll.records 5000")
                .note("COPY: the rows the ingest wrote, dumped with COPY TO and loaded with COPY FROM STDIN in one"
                        + " transaction into the events table (same partitions, indexes and triggers) of a fresh database"
                        + " on the same PostgreSQL; latency columns are not applicable (0)");
        Path markdown = report.write(results);
        System.out.println("report: " + markdown.toAbsolutePath());
        System.out.println(Files.readString(markdown));
        System.exit(0);
    }

    private record Round(
            Ingest ingest, double copySeconds, int events, long batches, double classifySeconds, double writeSeconds) {
        double ingestRate() {
            return ingest.rows() / ingest.seconds();
        }

        double copyRate() {
            return events / copySeconds;
        }

        double ratio() {
            return ingestRate() / copyRate();
        }
    }

    private static Round round(int events, int partitions) throws Exception {
        String topic =
                SharedInfrastructure.PRIVATE_TOPIC_PREFIX + "bench-audit." + Long.toString(System.nanoTime(), 36);
        createTopic(topic, partitions);
        double produceSeconds = produce(topic, events, partitions);
        System.out.printf(Locale.ROOT, "produced %d events in %.2f s%n", events, produceSeconds);

        String ingestDb = SharedInfrastructure.postgres().newServiceDatabase("bench_ingest");
        Path dataDir = Files.createTempDirectory("audit-bench");
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.putAll(SharedInfrastructure.postgresProperties(DatabaseRoles.AUDIT, ingestDb));
        props.putAll(SharedInfrastructure.kafkaProperties("audit-service"));
        props.put("audit.consumer.audit-topic", topic);
        props.put("audit.consumer.usage-topic", topic + ".usage");
        props.put("audit.consumer.group-id", "audit-service-bench-" + topic);
        props.put("audit.consumer.poll-timeout", "100ms");
        props.put("audit.data-dir", dataDir.toString());
        props.put("audit.checkpoint.interval", "1h");
        props.put("audit.verify.initial-delay", "1h");
        props.put("sovereign.security.dev-mode", true);
        props.put("endpoints.health.disk-space.path", dataDir.toString());

        Ingest ingest;
        long batches;
        double classify;
        double write;
        long started = System.nanoTime(); // the consumer starts with the service
        try (ApplicationContext context =
                        ApplicationContext.builder().properties(props).start();
                Connection db = DriverManager.getConnection(ingestDb, PostgresServer.USER, "")) {
            ingest = timeIngest(started, db, events);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            classify = registry.get("audit.ingest.batch")
                    .tag("phase", "classify")
                    .timer()
                    .totalTime(TimeUnit.SECONDS);
            write = registry.get("audit.ingest.batch")
                    .tag("phase", "write")
                    .timer()
                    .totalTime(TimeUnit.SECONDS);
            batches = registry.get("audit.ingest.batch.records").summary().count();
        }
        System.out.printf(
                Locale.ROOT,
                "ingest: %d events in %.2f s = %.0f events/s (service start and group join %.2f s); %d batches,"
                        + " classify %.2f s, write %.2f s%n",
                ingest.rows(),
                ingest.seconds(),
                ingest.rows() / ingest.seconds(),
                ingest.joinSeconds(),
                batches,
                classify,
                write);

        byte[] rows = dump(ingestDb);
        String copyDb = SharedInfrastructure.postgres().newDatabase("bench_copy");
        double copySeconds = timeCopy(copyDb, rows);
        System.out.printf(
                Locale.ROOT,
                "COPY: %d rows (%d MB) in %.2f s = %.0f rows/s%n",
                events,
                rows.length / (1024 * 1024),
                copySeconds,
                events / copySeconds);
        return new Round(ingest, copySeconds, events, batches, classify, write);
    }

    private record Ingest(long rows, double seconds, double joinSeconds, long firstBatch) {}

    /** Polls the row count of the started service until every event is in. */
    private static Ingest timeIngest(long started, Connection db, int events) throws Exception {
        long firstAt = 0;
        long firstCount = 0;
        long count = 0;
        long lastProgress = started;
        long lastCount = 0;
        while (count < events) {
            if (count > lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > 60_000_000_000L) {
                throw new IllegalStateException("ingest made no progress for 60 s (" + count + " of " + events + ")");
            }
            count = count(db);
            if (count > 0 && firstAt == 0) {
                firstAt = System.nanoTime();
                firstCount = count;
            }
            if (count < events) {
                Thread.sleep(10); // polling interval of the measurement, not a wait for a condition
            }
        }
        long end = System.nanoTime();
        return new Ingest(events - firstCount, (end - firstAt) / 1e9, (firstAt - started) / 1e9, firstCount);
    }

    private static long count(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM audit.events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] dump(String url) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024 * 1024);
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "")) {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyOut("COPY (SELECT " + COLUMNS + " FROM audit.events ORDER BY chain, seq) TO STDOUT", out);
        }
        return out.toByteArray();
    }

    private static double timeCopy(String url, byte[] rows) throws Exception {
        Flyway.configure(AuditIngestBench.class.getClassLoader())
                .dataSource(url, PostgresServer.USER, "")
                .schemas("audit")
                .defaultSchema("audit")
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "")) {
            c.setSchema("audit");
            try (Statement s = c.createStatement()) {
                s.execute("SELECT ensure_month_partition('events', current_date)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY events (" + COLUMNS + ") FROM STDIN", new ByteArrayInputStream(rows));
            c.commit();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Creates the topic and waits until every partition has a leader, so that the first sends do not bounce. */
    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(SharedInfrastructure.kafkaOperatorSettings())) {
            admin.createTopics(List.of(
                            new NewTopic(topic, partitions, (short) 1), new NewTopic(topic + ".usage", 1, (short) 1)))
                    .all()
                    .get();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                var description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic);
                if (description.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has partitions without a leader after 30 s");
                }
                Thread.sleep(50); // polling interval of the readiness check
            }
        }
    }

    /** Produces the events (spread over the partitions as tenants would be) and returns the seconds it took. */
    private static double produce(String topic, int events, int partitions) {
        EventCodec codec = new EventCodec();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        10,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        1024 * 1024)),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("model", "llama3.1:8b");
                details.put("tokens", 100 + i % 900);
                details.put("latencyMs", 12.5 + i % 100);
                AuditEvent data = new AuditEvent(
                        "key-" + (i % 1000),
                        AuditEvent.ActorType.API_KEY,
                        "tenant-" + (i % 50),
                        "chat.completion",
                        "model",
                        "llama3.1:8b",
                        AuditEvent.Outcome.SUCCESS,
                        null,
                        "req-" + i,
                        "10.1." + (i % 256) + "." + (i % 250),
                        details);
                CloudEvent<AuditEvent> event = new CloudEvent<>(
                        CloudEvent.SPEC_VERSION,
                        UuidV7.generate().toString(),
                        "/gateway",
                        AuditEvent.TYPE,
                        base.plusMillis(i),
                        "model/llama3.1:8b",
                        CloudEvent.DATA_CONTENT_TYPE,
                        data);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                i % partitions,
                                data.tenant().getBytes(StandardCharsets.UTF_8),
                                codec.encode(event)),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(
                    failed.get() + " of " + events + " events were not acknowledged by Kafka;"
                            + " run the benchmark again",
                    firstError.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
