package ai.sovereign.bench.router;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

import ai.sovereign.bench.load.ConcurrentLoad;
import ai.sovereign.bench.load.LatencyRecorder;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.load.Outcome;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.SharedInfrastructure;

/**
 * The router (issue 3) against plain round-robin on a skewed fleet, and the time to first token the router adds.
 *
 * <p>Starts, on loopback: PostgreSQL and Kafka (testkit, in this process), four llm-simulator processes and the
 * router process ({@code router/target/router.jar}). Fleet for the comparison: {@code fast} (healthy),
 * {@code slow} (every delay 4×) and {@code flaky} (20 % of requests answered HTTP 500), all serving
 * {@code bench:8b}. The same closed-loop load runs through the router and then as client-side round-robin straight
 * to the three servers (no retries: what a plain round-robin proxy does, minus its own overhead). Then 100
 * concurrent streams measure time to first byte through the router and straight to a fourth simulator
 * ({@code ttft}, serving {@code ttft:1b}), in the same run.
 *
 * <p>Arguments: requests per comparison side (default 600), concurrency (default 16), TTFT rounds of 100 streams
 * (default 10), results directory (default {@code bench/results}).
 */
public final class RouterBench {

    static final String MODEL = "bench:8b";
    static final String TTFT_MODEL = "ttft:1b";

    private RouterBench() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path results = Path.of(args.length > 3 ? args[3] : "bench/results");
        int streams = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        Path simulatorJar = Path.of("infra/llm-simulator/target/llm-simulator.jar");
        Path routerJar = Path.of("router/target/router.jar");
        for (Path jar : List.of(simulatorJar, routerJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; build it first (see bench/README.md)");
            }
        }
        List<Process> processes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        try {
            // 30 ms to the first token, 20 tokens 5 ms apart: about 130 ms per answer; slow: 4× every delay.
            int fast = startSimulator(processes, simulatorJar, MODEL, 30, 5, 0);
            int slow = startSimulator(processes, simulatorJar, MODEL, 120, 20, 0);
            int flaky = startSimulator(processes, simulatorJar, MODEL, 30, 5, 0.2);
            int ttft = startSimulator(processes, simulatorJar, TTFT_MODEL, 20, 5, 0);
            int routerPort = FreePorts.next();
            Path bootstrap = Files.createTempFile("router-bench", ".json");
            Files.writeString(bootstrap, """
                    {"servers":[
                      {"id":"fast","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":8},
                      {"id":"slow","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":8},
                      {"id":"flaky","url":"http://127.0.0.1:%d","type":"ollama","maxConcurrency":8},
                      {"id":"ttft","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":200}],
                     "health":{"intervalMs":1000,"timeoutMs":1000},
                     "queue":{"maxSize":5000,"timeoutMs":60000}}
                    """.formatted(fast, slow, flaky, ttft));
            startRouter(processes, routerJar, routerPort, bootstrap);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            String router = "http://127.0.0.1:" + routerPort;
            awaitModels(http, router, List.of(MODEL, TTFT_MODEL));

            // Warm-up of both paths (JIT, connection pools), not measured.
            runLoad(http, "warm-up", List.of(router), concurrency, 200, false);
            runLoad(http, "warm-up", List.of("http://127.0.0.1:" + fast, "http://127.0.0.1:" + slow,
                    "http://127.0.0.1:" + flaky), concurrency, 60, true);

            LoadResult viaRouter = runLoad(http, "router (skewed fleet)", List.of(router), concurrency, requests, false);
            LoadResult roundRobin = runLoad(http, "round-robin (same fleet)", List.of("http://127.0.0.1:" + fast,
                    "http://127.0.0.1:" + slow, "http://127.0.0.1:" + flaky), concurrency, requests, true);

            timeToFirstByte(http, "warm-up", "http://127.0.0.1:" + ttft, 5, streams);
            timeToFirstByte(http, "warm-up", router, 5, streams);
            LoadResult direct = timeToFirstByte(http, "TTFT direct to simulator, " + streams + " streams", "http://127.0.0.1:" + ttft, rounds, streams);
            LoadResult routed = timeToFirstByte(http, "TTFT through router, " + streams + " streams", router, rounds, streams);

            double p95Ratio = viaRouter.latency().p95Ms() / roundRobin.latency().p95Ms();
            double addedP50 = routed.latency().p50Ms() - direct.latency().p50Ms();
            double addedP99 = routed.latency().p99Ms() - direct.latency().p99Ms();
            BenchReport report = new BenchReport("router",
                    "java -cp bench/target/classes:$(cat bench/target/classpath.txt) ai.sovereign.bench.router.RouterBench "
                            + requests + " " + concurrency + " " + rounds + " " + results + " " + streams)
                    .add(viaRouter).add(roundRobin).add(direct).add(routed)
                    .note(String.format("Skewed fleet: fast, slow (4× every delay), flaky (20%% HTTP 500), %d requests each side, "
                            + "%d concurrent, non-streamed chat of 20 tokens.", requests, concurrency))
                    .note(String.format("Router p95 / round-robin p95 = %.2f (goal ≤ 0.6); failed: router %d, round-robin %d (goal 0 for the router).",
                            p95Ratio, viaRouter.failures(), roundRobin.failures()))
                    .note(String.format("Throughput: router %.1f req/s, round-robin %.1f req/s.",
                            viaRouter.requestsPerSecond(), roundRobin.requestsPerSecond()))
                    .note(String.format("Time to first byte added by the router at %d concurrent streams: p50 %+.2f ms, p99 %+.2f ms "
                            + "(goal p99 ≤ 2 ms at 100); %d streams each side.", streams, addedP50, addedP99, rounds * streams))
                    .note("Round-robin is client-side (no proxy hop, no retries), which favours it by the cost of a hop.")
                    .note("Everything shares one machine: simulators, router, PostgreSQL, Kafka and the load generator.");
            Path written = report.write(results);
            System.out.println("wrote " + written);
            System.out.println(Files.readString(written.resolveSibling("router.md")));
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor();
            }
        }
    }

    private static int startSimulator(List<Process> processes, Path jar, String model, int ttftMs, int interTokenMs,
                                      double errorRate) throws IOException {
        int port = FreePorts.next();
        Process process = new ProcessBuilder(javaBin(), "-Xmx256m", "-jar", jar.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--models", model, "--ttft-ms", Integer.toString(ttftMs),
                "--inter-token-ms", Integer.toString(interTokenMs), "--output-tokens", "20",
                "--error-rate", Double.toString(errorRate), "--io-threads", "2")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(process);
        return port;
    }

    /** @param extraProperties further {@code -Dkey=value} arguments for the router's JVM */
    static void startRouter(List<Process> processes, Path jar, int port, Path bootstrap, String... extraProperties)
            throws IOException {
        Map<String, Object> postgres = SharedInfrastructure.postgresProperties("routerbench");
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx512m"));
        postgres.forEach((k, v) -> command.add("-D" + k + "=" + v));
        SharedInfrastructure.kafkaProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-Dmicronaut.server.port=" + port, "-Dsovereign.security.dev-mode=true",
                "-Drouter.bootstrap-file=" + bootstrap, "-Dlogger.levels.root=WARN"));
        command.addAll(List.of(extraProperties));
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("bench/target/router-bench-router.log").toFile()).start();
        processes.add(process);
    }

    private static void awaitModels(HttpClient http, String router, List<String> models) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(router + "/v1/models")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (models.stream().allMatch(m -> body.contains("\"" + m + "\"")) && body.contains("flaky")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250); // polling a child process that has no readiness signal
        }
        throw new IllegalStateException("the router did not list " + models + " within 90 s; see bench/target/router-bench-router.log");
    }

    /** Non-streamed chats; {@code spread} sends each to the next base URL in turn (round-robin). */
    private static LoadResult runLoad(HttpClient http, String name, List<String> bases, int concurrency, int requests,
                                      boolean spread) {
        AtomicLong next = new AtomicLong();
        byte[] body = chat(MODEL, false).getBytes(StandardCharsets.UTF_8);
        return new ConcurrentLoad(name, concurrency, requests, Duration.ofMinutes(5)).run(sequence -> {
            String base = spread ? bases.get((int) (next.getAndIncrement() % bases.size())) : bases.getFirst();
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Outcome.SUCCESS : Outcome.FAILURE;
        });
    }

    /** {@code rounds} times 100 concurrent streams; records the time to the first SSE data line. */
    private static LoadResult timeToFirstByte(HttpClient http, String name, String base, int rounds, int streams) throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        AtomicInteger failures = new AtomicInteger();
        byte[] body = chat(TTFT_MODEL, true).getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < rounds; round++) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    batch.add(clients.submit(() -> {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
                            try (InputStream in = response.body()) {
                                if (response.statusCode() != 200 || !readUntilData(in)) {
                                    failures.incrementAndGet();
                                    return;
                                }
                                recorder.recordNanos(System.nanoTime() - sent);
                                in.transferTo(OutputStreamSink.INSTANCE);
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : batch) {
                    f.get();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(name, (long) rounds * streams, failures.get(), seconds, recorder.summary());
    }

    /** Reads until the first byte of the first {@code data:} line has arrived. */
    private static boolean readUntilData(InputStream in) throws IOException {
        int b;
        boolean lineStart = true;
        while ((b = in.read()) >= 0) {
            if (lineStart && b == 'd') {
                return true;
            }
            lineStart = b == '\n';
        }
        return false;
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Benchmark prompt\"}]}";
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Drops the rest of a stream. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
