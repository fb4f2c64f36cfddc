package ai.sovereign.bench.ingestion;

import ai.sovereign.bench.load.LatencyRecorder;
import ai.sovereign.bench.load.LatencySummary;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.load.ThreadCpu;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.ingestion.testsupport.ChunkVector;
import ai.sovereign.ingestion.testsupport.EmbeddedVectorIndex;
import ai.sovereign.ingestion.testsupport.PipelineStages;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingestion benchmark (issue 7), in one run on one machine:
 * <ol>
 *   <li>throughput: the raw embedding model (all-MiniLM-L6-v2, the same in-process ONNX model, batches of the configured
 *   size) on the very chunks the pipeline will produce, then the whole pipeline through the real service (HTTP upload
 *   in requests of 50 files, Kafka jobs, Tika, chunking, embedding, Lucene + Neo4j writes, PostgreSQL status) from the
 *   first upload to the last source ready, then the raw model again (brackets the noise of a shared machine);</li>
 *   <li>retrieval quality on the BEIR set just ingested: nDCG@10 and recall@10 for vector, keyword and hybrid, on the
 *   development queries and, beside them, the held-out ones;</li>
 *   <li>search latency of the embedded store at N chunks (default 100,000): vectors around the real embeddings of the
 *   corpus, 10 tenants, tenant-filtered top-50 (the hybrid candidate list), real query embeddings.</li>
 * </ol>
 */
public final class IngestionBench {

    // its own mapper: a benchmark's main method, outside any application context
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int FILES_PER_UPLOAD = 50;
    private static final int TENANTS = 10;
    private static final int CANDIDATES = 50;

    private IngestionBench() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // the in-process Kafka, Neo4j and PostgreSQL keep the JVM alive: exit, so a failed run never holds the
            // build lock
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/data/cranfield");
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int storeSize = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int searches = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        Path results = Path.of(args.length > 4 ? args[4] : "bench/results");
        int warmup = Integer.getInteger("bench.warmup", 0);
        Map<String, String> docs = corpus(corpus);
        if (warmup == 0 && System.getProperty("bench.warmup") == null) {
            warmup = docs.size(); // default: one pass over the corpus
        }
        // the JVM options exactly as this run got them (the service's image options, GC, -Dbench.*)
        String command = "java "
                + String.join(
                        " ",
                        java.lang.management.ManagementFactory.getRuntimeMXBean()
                                .getInputArguments())
                + " -cp bench/target/classes:$(cat bench/target/classpath.txt) "
                + IngestionBench.class.getName() + " " + corpus + " " + concurrency + " " + storeSize + " " + searches;
        BenchReport report = new BenchReport("ingestion", command);

        Path dataDir = Files.createTempDirectory("ingestion-bench");
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.putAll(SharedInfrastructure.postgresProperties(DatabaseRoles.INGESTION));
        props.putAll(SharedInfrastructure.kafkaProperties("ingestion"));
        props.putAll(SharedInfrastructure.neo4jProperties());
        props.put("sovereign.security.dev-mode", true);
        // a run may last longer than the default token lifetime (1 h): the bench's tokens live 4 h
        props.put("sovereign.security.max-token-lifetime", "4h");
        props.put("endpoints.health.disk-space.path", dataDir.toString());
        props.put("ingestion.data-dir", dataDir.toString());
        props.put("ingestion.worker.group-id", "ingestion-bench-" + UUID.randomUUID());
        props.put("ingestion.worker.concurrency", concurrency);
        // -Dbench.service.<key>=<value>: a service setting for this run (e.g. to measure a change back to back)
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bench.service."))
                .forEach(k -> props.put(k.substring("bench.service.".length()), System.getProperty(k)));

        ClassLoader onlyIngestion = new OnlyIngestionResources(IngestionBench.class.getClassLoader());
        // micronaut-flyway's Flyway finds db/migration through the thread's context class loader, not the context's:
        // without this it sees the backup-service's V1 beside ingestion's and refuses to start
        Thread.currentThread().setContextClassLoader(onlyIngestion);
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(props)
                .classLoader(onlyIngestion)
                .start()) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            // the service's own chunker and model instance: the same runtime settings as the pipeline's
            PipelineStages model = PipelineStages.of(context);
            int batch = model.embeddingBatchSize();
            List<String> chunkTexts = new ArrayList<>();
            for (String text : docs.values()) {
                chunkTexts.addAll(model.chunkTexts(text));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d documents, %d chunks, embedding batches of %d, worker concurrency %d%n",
                    docs.size(),
                    chunkTexts.size(),
                    batch,
                    concurrency);

            Cpu.findPostgres();
            model.embed(chunkTexts.subList(0, Math.min(64, chunkTexts.size())));
            Raw before = raw(model, chunkTexts, batch);
            System.out.printf(
                    Locale.ROOT,
                    "raw model (before): %.1f s = %.0f documents/min%n",
                    before.seconds,
                    docs.size() / before.seconds * 60);

            // the service runs in dev mode: the bench signs as the gateway with the development key
            ServiceTokenSigner tokens = ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC());
            HttpApi api = new HttpApi(
                    server.getURI(),
                    tokens.issue("ingestion", "bench", "bench-" + UUID.randomUUID(), Role.USER, Duration.ofHours(4)));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            String warmupNote = null;
            if (warmup > 0) {
                // other tenants' uploads of the same texts, through the whole pipeline, before anything is measured:
                // the
                // measured run then sees a JVM in its steady state (JIT-compiled code, Cypher plans cached), as the raw
                // model does after its warm-up call. N documents = passes over the corpus, each pass a new tenant (the
                // same tenant would store each content once only)
                StringBuilder passes = new StringBuilder();
                long t = System.nanoTime();
                int done = 0;
                for (int pass = 1; done < warmup; pass++) {
                    HttpApi other = new HttpApi(
                            server.getURI(),
                            tokens.issue("ingestion", "bench", "bench-warmup-" + pass, Role.USER, Duration.ofHours(1)));
                    List<Map.Entry<String, String>> some =
                            new ArrayList<>(docs.entrySet()).subList(0, Math.min(warmup - done, docs.size()));
                    double finished = documents(registry, "ready") + documents(registry, "failed");
                    ThreadGroupCpu passThreads = ThreadGroupCpu.now();
                    long tp = System.nanoTime();
                    for (int i = 0; i < some.size(); i += FILES_PER_UPLOAD) {
                        other.upload(some.subList(i, Math.min(some.size(), i + FILES_PER_UPLOAD)));
                    }
                    while (documents(registry, "ready") + documents(registry, "failed") - finished < some.size()) {
                        Thread.sleep(50);
                    }
                    double passSeconds = (System.nanoTime() - tp) / 1e9;
                    passes.append(String.format(
                            Locale.ROOT,
                            "%s%d: %.0f documents/min, JIT %.1f ms/document",
                            pass == 1 ? "" : "; ",
                            pass,
                            some.size() / passSeconds * 60,
                            ThreadGroupCpu.now().jitNanosSince(passThreads) / 1e6 / some.size()));
                    done += some.size();
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                warmupNote = String.format(
                        Locale.ROOT,
                        "Pipeline warm-up (not measured): %d documents as other tenants (passes over"
                                + " the corpus, a tenant each) in %.1f s; by pass (the first one with the JVM cold): %s.",
                        done,
                        seconds,
                        passes);
                System.out.println(warmupNote);
            }
            double warmedUp = documents(registry, "ready") + documents(registry, "failed");
            double failedBefore = documents(registry, "failed");
            Map<String, double[]> timers0 = timers(registry);
            Cpu cpu0 = Cpu.now();
            ThreadGroupCpu threads0 = ThreadGroupCpu.now();
            System.out.println("measured pass starts at JVM uptime "
                    + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
            long t0 = System.nanoTime();
            Map<String, String> docBySource = new HashMap<>();
            List<Map.Entry<String, String>> entries = new ArrayList<>(docs.entrySet());
            for (int i = 0; i < entries.size(); i += FILES_PER_UPLOAD) {
                JsonNode uploaded = api.upload(entries.subList(i, Math.min(entries.size(), i + FILES_PER_UPLOAD)));
                uploaded.path("sources")
                        .valueStream()
                        .forEach(s -> docBySource.putIfAbsent(
                                s.path("id").asString(),
                                s.path("name").asString().replace(".txt", "")));
            }
            double uploadSeconds = (System.nanoTime() - t0) / 1e9;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (documents(registry, "ready") + documents(registry, "failed") - warmedUp < docBySource.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pipeline did not finish within 30 minutes");
                }
                Thread.sleep(50);
            }
            double pipelineSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.println("measured pass ends at JVM uptime "
                    + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
            Cpu pipelineCpu = Cpu.now().minus(cpu0);
            String threadNote = "Pipeline CPU by thread group, ms per document: "
                    + ThreadGroupCpu.now().perDocument(threads0, pipelineCpu.jvm(), docBySource.size());
            double failed = documents(registry, "failed") - failedBefore;
            Map<String, double[]> timersRun = delta(timers(registry), timers0);
            Raw after = raw(model, chunkTexts, batch);
            System.out.printf(
                    Locale.ROOT,
                    "raw model (after): %.1f s = %.0f documents/min%n",
                    after.seconds,
                    docs.size() / after.seconds * 60);

            double pipelinePerMin = docBySource.size() / pipelineSeconds * 60;
            double rawPerMin = docs.size() / ((before.seconds + after.seconds) / 2) * 60;
            Timer total =
                    registry.get("ingestion_duration").tag("stage", "total").timer();
            double[] totalRun = timersRun.get("total");
            double[] batchesRun = timersRun.getOrDefault("embedding_batch", new double[2]);
            report.add(new LoadResult(
                    "raw model before (chunks, batches of " + batch + "; latency per batch)",
                    chunkTexts.size(),
                    0,
                    before.seconds,
                    before.latency));
            report.add(new LoadResult(
                    "pipeline upload→ready (documents; latency = per-document mean/max, percentiles n/a)",
                    docBySource.size(),
                    (long) failed,
                    pipelineSeconds,
                    new LatencySummary(
                            (long) totalRun[0],
                            totalRun[1] / Math.max(1, totalRun[0]),
                            0,
                            0,
                            0,
                            total.max(TimeUnit.MILLISECONDS))));
            report.add(new LoadResult(
                    "raw model after (chunks, batches of " + batch + "; latency per batch)",
                    chunkTexts.size(),
                    0,
                    after.seconds,
                    after.latency));
            String throughput = String.format(
                    Locale.ROOT,
                    "Throughput: pipeline %.0f documents/min (%d documents, %d chunks, first upload"
                            + " to last ready, worker concurrency %d) vs the raw model %.0f documents/min on the same chunks"
                            + " (mean of %.0f before and %.0f after) = %.0f %% (goal 80 %%). The pipeline embedded in %d batches"
                            + " (mean %.1f chunks per batch).",
                    pipelinePerMin,
                    docBySource.size(),
                    chunkTexts.size(),
                    concurrency,
                    rawPerMin,
                    docs.size() / before.seconds * 60,
                    docs.size() / after.seconds * 60,
                    100 * pipelinePerMin / rawPerMin,
                    (long) batchesRun[0],
                    batchesRun[0] == 0 ? 0.0 : chunkTexts.size() / batchesRun[0]);
            System.out.println(throughput);
            report.note(throughput);
            if (warmupNote != null) {
                report.note(warmupNote);
            }
            StringBuilder stages = new StringBuilder(String.format(
                    Locale.ROOT,
                    "Where the pipeline's time went: uploads done after %.1f s; mean per document",
                    uploadSeconds));
            for (String stage : List.of("parse", "chunk", "embed", "store", "total")) {
                double[] timer = timersRun.get(stage);
                if (timer != null && timer[0] > 0) {
                    stages.append(String.format(Locale.ROOT, " %s %.1f ms,", stage, timer[1] / timer[0]));
                }
            }
            double[] groups = timersRun.get("ingestion_store_group");
            if (groups != null && groups[0] > 0) {
                stages.append(String.format(
                        Locale.ROOT,
                        " %d group commits (mean %.1f sources, %.1f ms each)",
                        (long) groups[0],
                        docBySource.size() / groups[0],
                        groups[1] / groups[0]));
            }
            System.out.println(stages);
            report.note(stages.toString());
            String cpuNote = String.format(
                    Locale.ROOT,
                    "CPU per document: raw model %.1f ms (this JVM); pipeline %.1f ms"
                            + " (this JVM %.1f ms: service, Kafka, Neo4j, model; PostgreSQL processes %.1f ms), %.0f %% of %d cores busy",
                    (before.cpu.total() + after.cpu.total()) / 2 / docs.size() * 1000,
                    pipelineCpu.total() / docBySource.size() * 1000,
                    pipelineCpu.jvm() / docBySource.size() * 1000,
                    pipelineCpu.children() / docBySource.size() * 1000,
                    100
                            * pipelineCpu.total()
                            / pipelineSeconds
                            / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());
            System.out.println(cpuNote);
            report.note(cpuNote);
            System.out.println(threadNote);
            report.note(threadNote);

            if (Boolean.parseBoolean(System.getProperty("bench.quality", "true"))) {
                quality(api, corpus, docBySource).forEach(line -> {
                    System.out.println(line);
                    report.note(line);
                });
            }
            if (storeSize > 0) {
                searchLatency(model, before.vectors, corpus, storeSize, searches, report);
            }
        }
        Path written = report.write(results);
        System.out.println("wrote " + written);
        System.exit(0);
    }

    /** Count and total milliseconds of the pipeline's timers (stages by name), to take differences. */
    private static Map<String, double[]> timers(MeterRegistry registry) {
        Map<String, double[]> timers = new HashMap<>();
        for (String stage : List.of("parse", "chunk", "embed", "store", "total")) {
            Timer timer =
                    registry.find("ingestion_duration").tag("stage", stage).timer();
            if (timer != null) {
                timers.put(stage, new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)});
            }
        }
        for (String name : List.of("embedding_batch", "ingestion_store_group")) {
            Timer timer = registry.find(name).timer();
            if (timer != null) {
                timers.put(name, new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)});
            }
        }
        return timers;
    }

    private static Map<String, double[]> delta(Map<String, double[]> now, Map<String, double[]> before) {
        Map<String, double[]> delta = new HashMap<>();
        now.forEach((name, v) -> {
            double[] b = before.getOrDefault(name, new double[2]);
            delta.put(name, new double[] {v[0] - b[0], v[1] - b[1]});
        });
        return delta;
    }

    private static final Map<String, Counter> COUNTERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The counter is looked up once it exists (a registry search walks every meter: not while the pipeline runs). */
    private static double documents(MeterRegistry registry, String outcome) {
        Counter counter = COUNTERS.get(outcome);
        if (counter == null) {
            counter =
                    registry.find("ingestion_documents").tag("outcome", outcome).counter();
            if (counter == null) {
                return 0;
            }
            COUNTERS.put(outcome, counter);
        }
        return counter.count();
    }

    private record Raw(double seconds, LatencySummary latency, List<float[]> vectors, Cpu cpu) {}

    /**
     * CPU seconds of this JVM and of the embedded PostgreSQL, from the OS. pg_ctl daemonises the postmaster, so it is
     * no descendant of this JVM: it is found through a backend's parent, and counted with its live children (the
     * backends) and its reaped ones (cutime, cstime).
     */
    private record Cpu(double jvm, double children) {

        private static volatile ProcessHandle postmaster;

        static void findPostgres() {
            try (java.sql.Connection c = SharedInfrastructure.postgres().connect("postgres");
                    java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                long backend = rs.getLong(1);
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(backend), "status"))) {
                    if (line.startsWith("PPid:")) {
                        postmaster = ProcessHandle.of(
                                        Long.parseLong(line.substring(5).strip()))
                                .orElse(null);
                    }
                }
            } catch (Exception e) {
                System.out.println("PostgreSQL's CPU is not measured: " + e);
            }
        }

        static Cpu now() {
            double jvm = ((com.sun.management.OperatingSystemMXBean)
                                    java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime()
                    / 1e9;
            ProcessHandle pg = postmaster;
            double children = pg == null
                    ? 0
                    : procSeconds(pg, true)
                            + pg.descendants()
                                    .mapToDouble(p -> procSeconds(p, false))
                                    .sum();
            return new Cpu(jvm, children);
        }

        private static double procSeconds(ProcessHandle process, boolean withReaped) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (withReaped) {
                    ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
                return ticks / 100.0;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        Cpu minus(Cpu start) {
            return new Cpu(jvm - start.jvm, children - start.children);
        }

        double total() {
            return jvm + children;
        }
    }

    /**
     * CPU per group of this JVM's threads, every OS thread included (the JIT's compiler threads and the GC's are not
     * Java threads), read from {@code /proc/self/task/T/stat}; a group is a thread name (as the OS keeps it, 15
     * characters) with its numbers dropped. Threads that started and ended between two snapshots (Lucene merge
     * threads, for one) are what the groups leave of the JVM's total.
     */
    private record ThreadGroupCpu(
            Map<Long, String> names, Map<Long, Long> nanos, long jitMillis, long gcMillis, long gcCount, long classes) {

        static ThreadGroupCpu now() {
            Map<Long, String> names = new HashMap<>();
            Map<Long, Long> nanos = new HashMap<>();
            ThreadCpu.threads(ProcessHandle.current().pid()).forEach((tid, thread) -> {
                names.put(tid, group(thread.name()));
                nanos.put(tid, thread.nanos());
            });
            long gc = 0;
            long gcCount = 0;
            for (java.lang.management.GarbageCollectorMXBean bean :
                    java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += bean.getCollectionTime();
                gcCount += bean.getCollectionCount();
            }
            return new ThreadGroupCpu(
                    names,
                    nanos,
                    java.lang.management.ManagementFactory.getCompilationMXBean()
                            .getTotalCompilationTime(),
                    gc,
                    gcCount,
                    java.lang.management.ManagementFactory.getClassLoadingMXBean()
                            .getTotalLoadedClassCount());
        }

        private static String group(String comm) {
            if (comm.startsWith("C2 Compiler")) {
                return "JIT C2";
            }
            if (comm.startsWith("C1 Compiler")) {
                return "JIT C1";
            }
            if (comm.startsWith("GC Thread")
                    || comm.startsWith("G1 ")
                    || comm.startsWith("VM Periodic")
                    || comm.startsWith("VM Thread")) {
                return "GC/VM (" + comm.replaceAll("[#\\d]+$", "") + ")";
            }
            return comm.replaceAll("\\d+", "N");
        }

        /** CPU nanoseconds of the JIT's compiler threads since {@code start}. */
        long jitNanosSince(ThreadGroupCpu start) {
            long sum = 0;
            for (Map.Entry<Long, Long> e : nanos.entrySet()) {
                if (names.get(e.getKey()).startsWith("JIT")) {
                    sum += e.getValue() - start.nanos.getOrDefault(e.getKey(), 0L);
                }
            }
            return sum;
        }

        /** Milliseconds per document by thread group since {@code start}, largest first, the rest of {@code jvmSeconds} last. */
        String perDocument(ThreadGroupCpu start, double jvmSeconds, int documents) {
            Map<String, Long> groups = new HashMap<>();
            long sum = 0;
            for (Map.Entry<Long, Long> e : nanos.entrySet()) {
                long delta = e.getValue() - start.nanos.getOrDefault(e.getKey(), 0L);
                groups.merge(names.get(e.getKey()), delta, Long::sum);
                sum += delta;
            }
            StringBuilder out = new StringBuilder();
            groups.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .filter(e -> e.getValue() / 1e6 / documents >= 0.1)
                    .forEach(e -> out.append(
                            String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), e.getValue() / 1e6 / documents)));
            out.append(String.format(
                    Locale.ROOT,
                    "threads that ended meanwhile %.1f (JIT compile time %.1f ms, %d GC pauses"
                            + " %.1f ms, per document; %d classes loaded meanwhile)",
                    (jvmSeconds * 1e9 - sum) / 1e6 / documents,
                    (double) (jitMillis - start.jitMillis) / documents,
                    gcCount - start.gcCount,
                    (double) (gcMillis - start.gcMillis) / documents,
                    classes - start.classes));
            return out.toString();
        }
    }

    private static Raw raw(PipelineStages model, List<String> texts, int batch) {
        LatencyRecorder latency = new LatencyRecorder();
        List<float[]> vectors = new ArrayList<>(texts.size());
        Cpu cpu0 = Cpu.now();
        ThreadGroupCpu threads0 = ThreadGroupCpu.now();
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i += batch) {
            long t = System.nanoTime();
            vectors.addAll(model.embed(texts.subList(i, Math.min(texts.size(), i + batch))));
            latency.recordNanos(System.nanoTime() - t);
        }
        Cpu cpu = Cpu.now().minus(cpu0);
        System.out.println("raw model CPU by thread group, ms per text: "
                + ThreadGroupCpu.now().perDocument(threads0, cpu.jvm(), texts.size()));
        return new Raw((System.nanoTime() - t0) / 1e9, latency.summary(), vectors, cpu);
    }

    private static Map<String, String> corpus(Path dir) throws IOException {
        Map<String, String> docs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("corpus.jsonl"))) {
            JsonNode doc = JSON.readTree(line);
            String text =
                    (doc.path("title").asString() + "\n\n" + doc.path("text").asString()).strip();
            if (!text.isBlank()) {
                docs.put(doc.path("_id").asString(), text);
            }
        }
        return docs;
    }

    private static Map<String, String> queries(Path set) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(set.resolve("queries.jsonl"))) {
            JsonNode q = JSON.readTree(line);
            queries.put(q.path("_id").asString(), q.path("text").asString());
        }
        return queries;
    }

    /** nDCG@10 (gain 2^rel − 1, log2 discount) and recall@10 per mode, on the development and held-out queries. */
    private static List<String> quality(HttpApi api, Path corpus, Map<String, String> docBySource) throws Exception {
        List<String> lines = new ArrayList<>();
        List<Path> sets = new ArrayList<>(List.of(corpus));
        Path heldout = corpus.resolveSibling(corpus.getFileName() + "-heldout");
        if (Files.isDirectory(heldout)) {
            sets.add(heldout);
        }
        for (Path set : sets) {
            Map<String, String> queries = queries(set);
            Map<String, Map<String, Integer>> qrels = new HashMap<>();
            List<String> tsv = Files.readAllLines(set.resolve("qrels/test.tsv"));
            for (String line : tsv.subList(1, tsv.size())) {
                String[] f = line.split("\t", -1);
                if (Integer.parseInt(f[2]) > 0) {
                    qrels.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], Integer.parseInt(f[2]));
                }
            }
            for (String mode : List.of("vector", "keyword", "hybrid")) {
                double ndcg = 0;
                double recall = 0;
                int n = 0;
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    Map<String, Integer> rel = qrels.get(q.getKey());
                    if (rel == null || rel.isEmpty()) {
                        continue;
                    }
                    List<String> ranked =
                            new ArrayList<>(new LinkedHashSet<>(api.search(q.getValue(), mode, 30).stream()
                                    .map(docBySource::get)
                                    .toList()));
                    List<String> top = ranked.subList(0, Math.min(10, ranked.size()));
                    double dcg = 0;
                    for (int i = 0; i < top.size(); i++) {
                        dcg += (Math.pow(2, rel.getOrDefault(top.get(i), 0)) - 1) / (Math.log(i + 2) / Math.log(2));
                    }
                    List<Integer> ideal = rel.values().stream()
                            .sorted((a, b) -> b - a)
                            .limit(10)
                            .toList();
                    double idcg = 0;
                    for (int i = 0; i < ideal.size(); i++) {
                        idcg += (Math.pow(2, ideal.get(i)) - 1) / (Math.log(i + 2) / Math.log(2));
                    }
                    Set<String> found = new HashSet<>(top);
                    found.retainAll(rel.keySet());
                    ndcg += dcg / idcg;
                    recall += (double) found.size() / rel.size();
                    n++;
                }
                lines.add(String.format(
                        Locale.ROOT,
                        "Quality %s (%d queries) %s: nDCG@10 %.3f, recall@10 %.3f",
                        set.getFileName(),
                        n,
                        mode,
                        ndcg / n,
                        recall / n));
            }
        }
        return lines;
    }

    /**
     * The embedded store (the same {@code LuceneVectorStore} the service uses, through {@link EmbeddedVectorIndex})
     * filled with {@code size} vectors: each a real chunk embedding of the corpus plus Gaussian noise (σ 0.02 per
     * dimension), re-normalised, spread over 10 tenants, written in batches of 1,000 (one commit each). Then tenant-filtered top-50 searches with the real
     * embeddings of the queries, after 200 unrecorded ones; and the same with the query's embedding included.
     */
    private static void searchLatency(
            PipelineStages model, List<float[]> base, Path corpus, int size, int searches, BenchReport report)
            throws IOException {
        Path dir = Files.createTempDirectory("ingestion-bench-vectors");
        Random random = new Random(42);
        try (EmbeddedVectorIndex store = EmbeddedVectorIndex.open(dir, model.model(), model.dimensions())) {
            long t0 = System.nanoTime();
            List<ChunkVector> batch = new ArrayList<>(1000);
            for (int i = 0; i < size; i++) {
                float[] around = base.get(i % base.size());
                float[] v = new float[around.length];
                double norm = 0;
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) (around[d] + random.nextGaussian() * 0.02);
                    norm += v[d] * v[d];
                }
                for (int d = 0; d < v.length; d++) {
                    v[d] /= (float) Math.sqrt(norm);
                }
                String source = "s-" + (i / 4);
                batch.add(new ChunkVector("c-" + i, "tenant-" + (i % TENANTS), source, i % 4, v));
                if (batch.size() == 1000) {
                    store.upsert(batch);
                    batch = new ArrayList<>(1000);
                }
            }
            if (!batch.isEmpty()) {
                store.upsert(batch);
            }
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            List<String> queryTexts = new ArrayList<>(queries(corpus).values());
            Path heldout = corpus.resolveSibling(corpus.getFileName() + "-heldout");
            if (Files.isDirectory(heldout)) {
                queryTexts.addAll(queries(heldout).values());
            }
            List<float[]> queryVectors = model.embed(queryTexts);
            for (int i = 0; i < 200; i++) {
                store.search("tenant-" + (i % TENANTS), queryVectors.get(i % queryVectors.size()), CANDIDATES);
            }
            LatencyRecorder searchOnly = new LatencyRecorder();
            long t1 = System.nanoTime();
            for (int i = 0; i < searches; i++) {
                long t = System.nanoTime();
                store.search("tenant-" + (i % TENANTS), queryVectors.get(i % queryVectors.size()), CANDIDATES);
                searchOnly.recordNanos(System.nanoTime() - t);
            }
            double searchSeconds = (System.nanoTime() - t1) / 1e9;
            LatencyRecorder withEmbedding = new LatencyRecorder();
            int embedded = Math.min(searches, 1000);
            long t2 = System.nanoTime();
            for (int i = 0; i < embedded; i++) {
                long t = System.nanoTime();
                float[] q = model.embed(List.of(queryTexts.get(i % queryTexts.size())))
                        .getFirst();
                store.search("tenant-" + (i % TENANTS), q, CANDIDATES);
                withEmbedding.recordNanos(System.nanoTime() - t);
            }
            double embeddedSeconds = (System.nanoTime() - t2) / 1e9;
            LatencySummary s = searchOnly.summary();
            report.add(new LoadResult(
                    String.format(Locale.ROOT, "vector search, %,d chunks, tenant-filtered top-%d", size, CANDIDATES),
                    searches,
                    0,
                    searchSeconds,
                    s));
            report.add(new LoadResult(
                    "query embedding + vector search, same store",
                    embedded,
                    0,
                    embeddedSeconds,
                    withEmbedding.summary()));
            String note = String.format(
                    Locale.ROOT,
                    "Search latency at %,d chunks (embedded Lucene HNSW, %d tenants, indexed in %.0f s):"
                            + " p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (goal p95 < 50 ms); with the query embedding p50 %.1f ms, p95 %.1f ms.",
                    size,
                    TENANTS,
                    indexSeconds,
                    s.p50Ms(),
                    s.p95Ms(),
                    s.p99Ms(),
                    withEmbedding.summary().p50Ms(),
                    withEmbedding.summary().p95Ms());
            System.out.println(note);
            report.note(note);
        }
    }

    /**
     * The bench class path holds other services too (backup-service, audit-service, for their own benchmarks): their
     * {@code application.yml}, {@code db/migration} and bean definitions would start inside the ingestion service
     * (Micronaut refuses duplicate configuration, Flyway duplicate versions). The service is started with a class loader
     * that hides every resource of those jars; their classes stay loadable, just never discovered.
     */
    private static final class OnlyIngestionResources extends ClassLoader {

        private static final Set<String> SHARED = Set.of("runtime", "events", "testkit", "llm-simulator", "ingestion");
        private static final String REPOSITORY_PATH = "/ai/sovereign/";

        OnlyIngestionResources(ClassLoader parent) {
            super("only-ingestion-resources", parent);
        }

        private static boolean visible(URL url) {
            String u = url.toString();
            int at = u.indexOf(REPOSITORY_PATH);
            if (at < 0 || !u.startsWith("jar:")) {
                return true;
            }
            String artifact = u.substring(at + REPOSITORY_PATH.length()).split("/", 2)[0];
            return SHARED.contains(artifact);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return Collections.enumeration(Collections.list(getParent().getResources(name)).stream()
                    .filter(OnlyIngestionResources::visible)
                    .toList());
        }

        @Override
        public URL getResource(String name) {
            try {
                Enumeration<URL> urls = getResources(name);
                return urls.hasMoreElements() ? urls.nextElement() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Stream<URL> resources(String name) {
            try {
                return Collections.list(getResources(name)).stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The service's API as one tenant's caller. */
    private static final class HttpApi {
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI base;
        private final String token;

        HttpApi(URI base, String token) {
            this.base = base;
            this.token = token;
        }

        JsonNode upload(List<Map.Entry<String, String>> files) throws Exception {
            String boundary = "----bench" + UUID.randomUUID();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Map.Entry<String, String> file : files) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                                + file.getKey() + ".txt\"\r\nContent-Type: text/plain\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return send(
                    HttpRequest.newBuilder(base.resolve("/api/v1/sources/upload"))
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                    202);
        }

        List<String> search(String query, String mode, int topK) throws Exception {
            byte[] body = JSON.writeValueAsBytes(Map.of("query", query, "mode", mode, "top_k", topK));
            return send(
                            HttpRequest.newBuilder(base.resolve("/api/v1/search"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                            200)
                    .path("data")
                    .valueStream()
                    .map(h -> h.path("source_id").asString())
                    .toList();
        }

        private JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
            HttpResponse<String> response = http.send(
                    request.header("X-Sovereign-Token", token)
                            .timeout(Duration.ofMinutes(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(
                        request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }
    }
}
