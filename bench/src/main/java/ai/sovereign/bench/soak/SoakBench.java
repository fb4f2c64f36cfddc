package ai.sovereign.bench.soak;

import ai.sovereign.bench.load.FixedRateLoad;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.load.Outcome;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The all-in-one ({@code java -jar infra/local/target/sovereign-local.jar}, as the README starts it, its own process on
 * a fresh data directory, its fleet three instant llm-simulators given in {@code SOVEREIGN_OLLAMA_URLS}) under a steady mixed load through the gateway for a long time: non-streamed chat (50 %),
 * streamed chat (20 %), embeddings (20 %) and knowledge search (10 %). Every minute it forces a full GC in the
 * platform's JVM ({@code jcmd GC.run}) and records the process's RSS and the heap used after it, so that growth after
 * warm-up shows. Usage: {@code SoakBench [rate=200] [minutes=30] [warmupMinutes=5]}.
 */
public final class SoakBench {

    private static final Pattern URL_LINE = Pattern.compile("^  (\\S[^\\n]*?)\\s{2,}(http://\\S+)\\s*$");
    private static final Pattern KEY_LINE = Pattern.compile("^  bootstrap admin key\\s+in (\\S+)");
    private static final Pattern HEAP_USED = Pattern.compile("committed \\d+K, used (\\d+)K");

    private SoakBench() {}

    /** One minute's sample. */
    record Sample(int minute, long rssKb, long heapAfterGcKb, long requests, long failures) {}

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // runs the shutdown hook that stops the platform, after a failure too
    }

    private static void run(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 200;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("soak");
        Path jar = Path.of("infra", "local", "target", "sovereign-local.jar").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-jar",
                        jar.toString())
                .redirectErrorStream(true)
                .directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.put("SOVEREIGN_DATA_DIR", dir.resolve("data").toString());
        env.put("SOVEREIGN_POSTGRES_PORT", "0");
        env.put("SOVEREIGN_KAFKA_PORT", "0");
        env.put("SOVEREIGN_NEO4J_BOLT_PORT", "0");
        env.put("SOVEREIGN_RANDOM_SERVICE_PORTS", "true");
        // three inference servers that answer at once (the all-in-one's own simulated hosts generate at a GPU's pace,
        // a few requests a second): the soak loads the platform, not the simulated GPUs
        List<LlmSimulator> fleet = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fleet.add(LlmSimulator.start(SimulatorConfig.defaults()
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(32))
                    .withModels("llama3.1:8b", "nomic-embed-text")));
        }
        env.put(
                "SOVEREIGN_OLLAMA_URLS",
                String.join(",", fleet.stream().map(LlmSimulator::baseUrl).toList()));
        Process platform = builder.start();
        // whatever happens to the bench, the platform it started stops with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.destroy();
            try {
                if (!platform.waitFor(60, TimeUnit.SECONDS)) {
                    platform.destroyForcibly();
                }
            } catch (InterruptedException e) {
                platform.destroyForcibly();
            }
        }));
        String gateway = null;
        String adminKey = null;
        BufferedReader output =
                new BufferedReader(new InputStreamReader(platform.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            Matcher url = URL_LINE.matcher(line);
            if (url.find() && url.group(1).strip().equals("gateway")) {
                gateway = url.group(2);
            }
            Matcher key = KEY_LINE.matcher(line);
            if (key.find()) {
                adminKey = Files.readString(Path.of(key.group(1))).strip();
            }
            if (line.startsWith("Stop with Ctrl-C")) {
                break;
            }
        }
        if (gateway == null || adminKey == null) {
            throw new IllegalStateException("the all-in-one did not start (no gateway URL or bootstrap key)");
        }
        Thread.ofPlatform().daemon().start(() -> drain(platform.getInputStream()));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String base = gateway;
        String created = send(
                        http,
                        base,
                        "/admin/keys",
                        adminKey,
                        "{\"name\":\"soak\",\"tenant\":\"soak\",\"role\":\"user\"}")
                .body();
        Matcher secret = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!secret.find()) {
            throw new IllegalStateException("no key created: " + created);
        }
        String userKey = secret.group(1);

        List<Sample> samples = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long pid = platform.pid();
        // when each forced GC ran ({start, end} wall-clock millis), to tell its pauses from the platform's own
        List<long[]> forcedGcs = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Queue<long[]> slow = new java.util.concurrent.ConcurrentLinkedQueue<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        long startedAt = System.nanoTime();
        sampler.scheduleAtFixedRate(
                () -> {
                    try {
                        int minute = (int) Math.round((System.nanoTime() - startedAt) / 60e9);
                        long gcStart = System.currentTimeMillis();
                        long heap = heapAfterGc(pid);
                        forcedGcs.add(new long[] {gcStart, System.currentTimeMillis()});
                        Sample sample = new Sample(minute, rssKb(pid), heap, sent.get(), failed.get());
                        samples.add(sample);
                        System.out.printf(
                                "minute %2d: RSS %d MiB, heap after GC %d MiB, %d requests, %d failed%n",
                                minute,
                                sample.rssKb() / 1024,
                                sample.heapAfterGcKb() / 1024,
                                sample.requests(),
                                sample.failures());
                    } catch (Exception e) {
                        System.out.println("sample failed: " + e);
                    }
                },
                0,
                60,
                TimeUnit.SECONDS);

        String chat = "{\"model\":\"llama3.1:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the"
                + " maintenance window policy for the GPU fleet.\"}]}";
        String stream = "{\"model\":\"llama3.1:8b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Explain what a circuit breaker does.\"}]}";
        String embed = "{\"model\":\"nomic-embed-text\",\"input\":\"sovereign inference on our own GPUs\"}";
        String search = "{\"query\":\"maintenance window\",\"top_k\":5}";
        long total = (long) (rate * minutes * 60);
        LoadResult result;
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            result = new FixedRateLoad(
                            "mixed", rate, total, Duration.ofMinutes(minutes).plusSeconds(30), 2000)
                    .slowRequestsInto(slow, Duration.ofSeconds(1))
                    .run(
                            seq -> {
                                sent.incrementAndGet();
                                int kind = (int) (seq % 10);
                                String path;
                                String body;
                                if (kind < 5) {
                                    path = "/v1/chat/completions";
                                    body = chat;
                                } else if (kind < 7) {
                                    path = "/v1/chat/completions";
                                    body = stream;
                                } else if (kind < 9) {
                                    path = "/v1/embeddings";
                                    body = embed;
                                } else {
                                    path = "/api/v1/search";
                                    body = search;
                                }
                                try {
                                    HttpResponse<String> response = send(http, base, path, userKey, body);
                                    if (response.statusCode() / 100 == 2) {
                                        return Outcome.SUCCESS;
                                    }
                                    if (failures.size() < 20) {
                                        failures.add(path + " " + response.statusCode() + " " + response.body());
                                    }
                                } catch (IOException e) {
                                    if (failures.size() < 20) {
                                        failures.add(path + " " + e);
                                    }
                                }
                                failed.incrementAndGet();
                                return Outcome.FAILURE;
                            },
                            workers);
        }
        sampler.shutdown();
        sampler.awaitTermination(2, TimeUnit.MINUTES);
        int minute = (int) Math.round((System.nanoTime() - startedAt) / 60e9);
        samples.add(new Sample(minute, rssKb(pid), heapAfterGc(pid), sent.get(), failed.get()));
        platform.destroy();
        platform.waitFor(60, TimeUnit.SECONDS);
        fleet.forEach(LlmSimulator::close);

        Sample atWarmup =
                samples.stream().filter(s -> s.minute() >= warmup).findFirst().orElseThrow();
        Sample last = samples.getLast();
        long maxRss = samples.stream()
                .filter(s -> s.minute() >= warmup)
                .mapToLong(Sample::rssKb)
                .max()
                .orElseThrow();
        long maxHeap = samples.stream()
                .filter(s -> s.minute() >= warmup)
                .mapToLong(Sample::heapAfterGcKb)
                .max()
                .orElseThrow();
        double rssGrowth = 100.0 * (maxRss - atWarmup.rssKb()) / atWarmup.rssKb();
        double heapGrowth = 100.0 * (maxHeap - atWarmup.heapAfterGcKb()) / atWarmup.heapAfterGcKb();
        BenchReport report = new BenchReport(
                        "soak", "bench/soak-bench.sh " + (long) rate + " " + minutes + " " + warmup)
                .add(result)
                .figure("rss_mib_at_warmup", atWarmup.rssKb() / 1024.0)
                .figure("rss_mib_max_after_warmup", maxRss / 1024.0)
                .figure("rss_mib_at_end", last.rssKb() / 1024.0)
                .figure("rss_growth_after_warmup_percent", rssGrowth)
                .figure("heap_after_gc_mib_at_warmup", atWarmup.heapAfterGcKb() / 1024.0)
                .figure("heap_after_gc_mib_max_after_warmup", maxHeap / 1024.0)
                .figure("heap_after_gc_mib_at_end", last.heapAfterGcKb() / 1024.0)
                .figure("heap_growth_after_warmup_percent", heapGrowth)
                .figure("failed_requests", result.failures());
        StringBuilder perMinute = new StringBuilder("per minute (minute: RSS MiB / heap after GC MiB / requests):");
        for (Sample s : samples) {
            perMinute.append(String.format(
                    " %d: %d/%d/%d;", s.minute(), s.rssKb() / 1024, s.heapAfterGcKb() / 1024, s.requests()));
        }
        report.note(perMinute.toString());
        report.note("fleet: three llm-simulators in the bench's JVM answering at once (SOVEREIGN_OLLAMA_URLS, so no"
                + " gpu-agents run); the platform process holds PostgreSQL, Kafka, Neo4j and every service");
        report.note("mix: 50 % chat, 20 % streamed chat, 20 % embeddings, 10 % knowledge search, through the gateway"
                + " with a user key; growth = (max after warm-up − value at minute " + warmup + ") / value at minute "
                + warmup);
        // a request slower than 1 s that was in flight while a forced GC ran (it ended after the GC began and
        // started, by its latency, before the GC ended) is the bench's own doing, not the platform's
        long slowTotal = slow.size();
        long slowDuringGc = slow.stream()
                .filter(r -> forcedGcs.stream().anyMatch(gc -> r[0] >= gc[0] && r[0] - r[1] / 1000 <= gc[1]))
                .count();
        report.figure("requests_over_1s", slowTotal);
        report.figure("requests_over_1s_in_flight_during_a_forced_gc", slowDuringGc);
        report.note("forced GCs (jcmd GC.run + GC.heap_info) took "
                + forcedGcs.stream().mapToLong(gc -> gc[1] - gc[0]).summaryStatistics()
                + " ms");
        if (!failures.isEmpty()) {
            report.note("first failures: " + String.join(" | ", failures));
        }
        Path written = report.write(Path.of("bench", "results"));
        System.out.printf(
                "%s: %d requests, %d failed, %.1f req/s; RSS growth %.1f %%, heap growth %.1f %% → %s%n",
                result.name(),
                result.requests(),
                result.failures(),
                result.requestsPerSecond(),
                rssGrowth,
                heapGrowth,
                written);
    }

    private static HttpResponse<String> send(HttpClient http, String base, String path, String key, String body)
            throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** Runs a full GC in the platform's JVM and returns the heap it uses afterwards. */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IOException("no heap figure in: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out.join();
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the platform stopped
        }
    }
}
