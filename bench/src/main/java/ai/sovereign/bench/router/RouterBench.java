package ai.sovereign.bench.router;

import ai.sovereign.bench.load.ConcurrentLoad;
import ai.sovereign.bench.load.ImageJvmOptions;
import ai.sovereign.bench.load.LatencyRecorder;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.load.Outcome;
import ai.sovereign.bench.load.ThreadCpu;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.SharedInfrastructure;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router (issue 3) against plain round-robin on a skewed fleet, and the time to first token the router adds.
 *
 * <p>Starts, on loopback: PostgreSQL and Kafka (testkit, in this process), five llm-simulator processes and the
 * router process ({@code router/target/router.jar}). Fleet for the comparison: {@code fast} (healthy),
 * {@code slow} (every delay 4×) and {@code flaky} (20 % of requests answered HTTP 500), all serving
 * {@code bench:8b}. The same closed-loop load runs through the router and then as client-side round-robin straight
 * to the three servers (no retries: what a plain round-robin proxy does, minus its own overhead). Then the time to
 * first token through the router and straight to the simulator, in the same run: in steady state (100 streams in
 * flight, closed loop, realistic 8B-model pacing, simulator {@code steady}) and in bursts of 100 streams started
 * together (a stress test, simulator {@code ttft}).
 *
 * <p>Arguments: requests per comparison side (default 600), concurrency (default 16), TTFT rounds of 100 streams
 * (default 10), results directory (default {@code bench/results}).
 */
public final class RouterBench {

    /**
     * The router takes only callers with a service token; it runs in dev mode here, so the bench signs as the gateway
     * with the development key (also sent to the simulator, which ignores it).
     */
    private static final String ROUTER_TOKEN = ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC())
            .issue("router", "router-bench", "bench", Role.USER, Duration.ofHours(1));

    static final String MODEL = "bench:8b";
    static final String TTFT_MODEL = "ttft:1b";
    static final String STEADY_MODEL = "steady:8b";
    /**
     * The steady scenario's server: an 8B model (Llama 3.1 8B class) on one data-centre GPU (H100-class) under vLLM
     * with about 100 sequences in its batch: ~150 ms to the first token (queueing plus prefill of a short prompt), then
     * ~40 tokens/s per stream (25 ms apart), 48 tokens per answer: ~1.3 s per stream.
     */
    static final int STEADY_TTFT_MS = 150;

    static final int STEADY_INTER_TOKEN_MS = 25;
    static final int STEADY_TOKENS = 48;

    private RouterBench() {}

    @SuppressWarnings("CatchAndPrintStackTrace") // a command-line program: the trace on stderr is its failure report
    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            // The test kit's PostgreSQL and Kafka keep non-daemon threads: end the JVM once the report is written.
            System.exit(status);
        }
    }

    private static void run(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path results = Path.of(args.length > 3 ? args[3] : "bench/results");
        int streams = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        Path simulatorJar = Path.of("infra/llm-simulator/target/llm-simulator.jar");
        Path routerJar = Path.of(args.length > 5 ? args[5] : "router/target/router.jar");
        boolean ttftOnly = Boolean.getBoolean("bench.ttft-only");
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
            int steady = startSimulator(
                    processes, simulatorJar, STEADY_MODEL, STEADY_TTFT_MS, STEADY_INTER_TOKEN_MS, STEADY_TOKENS, 0);
            int routerPort = FreePorts.next();
            Path bootstrap = Files.createTempFile("router-bench", ".json");
            Files.writeString(bootstrap, """
                    {"servers":[
                      {"id":"fast","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":8},
                      {"id":"slow","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":8},
                      {"id":"flaky","url":"http://127.0.0.1:%d","type":"ollama","maxConcurrency":8},
                      {"id":"ttft","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":200},
                      {"id":"steady","url":"http://127.0.0.1:%d","type":"openai","maxConcurrency":200}],
                     "health":{"intervalMs":1000,"timeoutMs":1000},
                     "queue":{"maxSize":5000,"timeoutMs":60000}}
                    """.formatted(fast, slow, flaky, ttft, steady));
            startRouter(processes, routerJar, routerPort, bootstrap);
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            String router = "http://127.0.0.1:" + routerPort;
            awaitModels(http, router, List.of(MODEL, TTFT_MODEL, STEADY_MODEL));

            // Warm-up of both paths (JIT, connection pools), not measured.
            runLoad(http, "warm-up", List.of(router), concurrency, ttftOnly ? 20 : 200, false);
            runLoad(
                    http,
                    "warm-up",
                    List.of("http://127.0.0.1:" + fast, "http://127.0.0.1:" + slow, "http://127.0.0.1:" + flaky),
                    concurrency,
                    60,
                    true);

            LoadResult viaRouter = ttftOnly
                    ? null
                    : runLoad(http, "router (skewed fleet)", List.of(router), concurrency, requests, false);
            LoadResult roundRobin = ttftOnly
                    ? null
                    : runLoad(
                            http,
                            "round-robin (same fleet)",
                            List.of(
                                    "http://127.0.0.1:" + fast,
                                    "http://127.0.0.1:" + slow,
                                    "http://127.0.0.1:" + flaky),
                            concurrency,
                            requests,
                            true);

            // TTFT: rounds of `streams` concurrent streams, direct and through the router alternating round by round
            // (which goes first alternates too), so that both sides see the same machine.
            String directBase = "http://127.0.0.1:" + ttft;
            Process routerProcess = processes.getLast();
            Map<String, java.util.function.LongSupplier> measured = cpuMeters(routerProcess, processes.get(3));
            TtftSide direct = new TtftSide(
                    "TTFT burst (stress), direct to simulator: " + streams + " streams started together",
                    directBase,
                    measured);
            TtftSide routed = new TtftSide(
                    "TTFT burst (stress), through router: " + streams + " streams started together", router, measured);
            TtftSide warmDirect = new TtftSide("warm-up", directBase, measured);
            TtftSide warmRouted = new TtftSide("warm-up", router, measured);
            for (int round = 0; round < 5; round++) {
                warmDirect.round(http, streams);
                warmRouted.round(http, streams);
            }
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    direct.round(http, streams);
                    routed.round(http, streams);
                } else {
                    routed.round(http, streams);
                    direct.round(http, streams);
                }
            }
            // Steady state: `streams` streams in flight all the time (closed loop, starts spread over one stream's
            // length), phases alternating direct and routed.
            int steadyPhases = Integer.getInteger("bench.steady.phases", 4);
            long phaseNanos = Duration.ofSeconds(Integer.getInteger("bench.steady.phase-seconds", 8))
                    .toNanos();
            Map<String, java.util.function.LongSupplier> steadyMeters = cpuMeters(routerProcess, processes.get(4));
            String steadyDirectBase = "http://127.0.0.1:" + steady;
            SteadySide steadyDirect = new SteadySide(
                    "TTFT steady, direct to simulator: " + streams + " streams in flight",
                    steadyDirectBase,
                    steadyMeters);
            SteadySide steadyRouted = new SteadySide(
                    "TTFT steady, through router: " + streams + " streams in flight", router, steadyMeters);
            String warmUp = steadyWarmUp(http, streams, phaseNanos, steadyDirectBase, router, steadyMeters);
            for (int phase = 0; phase < steadyPhases; phase++) {
                if (phase % 2 == 0) {
                    steadyDirect.phase(http, streams, phaseNanos);
                    steadyRouted.phase(http, streams, phaseNanos);
                } else {
                    steadyRouted.phase(http, streams, phaseNanos);
                    steadyDirect.phase(http, streams, phaseNanos);
                }
            }
            LoadResult steadyDirectResult = steadyDirect.result();
            LoadResult steadyRoutedResult = steadyRouted.result();
            double steadyAddedP50 = steadyRoutedResult.latency().p50Ms()
                    - steadyDirectResult.latency().p50Ms();
            double steadyAddedP99 = steadyRoutedResult.latency().p99Ms()
                    - steadyDirectResult.latency().p99Ms();
            List<String> steadyBreakdown = new ArrayList<>();
            for (SteadySide side : List.of(steadyDirect, steadyRouted)) {
                steadyBreakdown.add(String.format(
                        "%s: first data line p50 %.1f / p99 %.1f ms, end of stream p50 %.1f / p99 %.1f ms, "
                                + "%d streams measured (%d failed); CPU per stream (µs): %s",
                        side.name,
                        side.recorder.summary().p50Ms(),
                        side.recorder.summary().p99Ms(),
                        side.whole.summary().p50Ms(),
                        side.whole.summary().p99Ms(),
                        side.recorder.summary().count(),
                        side.failures.get(),
                        side.cpuPerStream()));
            }

            LoadResult directResult = direct.result();
            LoadResult routedResult = routed.result();
            List<String> breakdown = new ArrayList<>();
            for (TtftSide side : List.of(direct, routed)) {
                breakdown.add(String.format(
                        "%s: response headers p50 %.1f / p99 %.1f ms, first data line p50 %.1f / p99 %.1f ms, "
                                + "end of stream p50 %.1f / p99 %.1f ms; CPU per stream (µs): %s",
                        side.name,
                        side.headers.summary().p50Ms(),
                        side.headers.summary().p99Ms(),
                        side.recorder.summary().p50Ms(),
                        side.recorder.summary().p99Ms(),
                        side.whole.summary().p50Ms(),
                        side.whole.summary().p99Ms(),
                        side.cpuPerStream()));
            }
            if (ttftOnly) {
                breakdown.forEach(System.out::println);
                System.out.printf(
                        "burst: added p50 %+.2f ms p99 %+.2f ms%n",
                        routedResult.latency().p50Ms() - directResult.latency().p50Ms(),
                        routedResult.latency().p99Ms() - directResult.latency().p99Ms());
                System.out.println("router JVM options: " + String.join(" ", ImageJvmOptions.of("router")));
                System.out.println(warmUp);
                steadyBreakdown.forEach(System.out::println);
                System.out.printf("steady: added p50 %+.2f ms p99 %+.2f ms%n", steadyAddedP50, steadyAddedP99);
                return;
            }

            double p95Ratio = viaRouter.latency().p95Ms() / roundRobin.latency().p95Ms();
            double addedP50 =
                    routedResult.latency().p50Ms() - directResult.latency().p50Ms();
            double addedP99 =
                    routedResult.latency().p99Ms() - directResult.latency().p99Ms();
            BenchReport report = new BenchReport(
                            "router",
                            "java -cp bench/target/classes:$(cat bench/target/classpath.txt) ai.sovereign.bench.router.RouterBench "
                                    + requests + " " + concurrency + " " + rounds + " " + results + " " + streams)
                    .add(viaRouter)
                    .add(roundRobin)
                    .add(steadyDirectResult)
                    .add(steadyRoutedResult)
                    .add(directResult)
                    .add(routedResult)
                    .note(String.format(
                            "Skewed fleet: fast, slow (4× every delay), flaky (20%% HTTP 500), %d requests each side, "
                                    + "%d concurrent, non-streamed chat of 20 tokens.",
                            requests, concurrency))
                    .note(String.format(
                            "Router p95 / round-robin p95 = %.2f (goal ≤ 0.6); failed: router %d, round-robin %d (goal 0 for the router).",
                            p95Ratio, viaRouter.failures(), roundRobin.failures()))
                    .note(String.format(
                            "Throughput: router %.1f req/s, round-robin %.1f req/s.",
                            viaRouter.requestsPerSecond(), roundRobin.requestsPerSecond()))
                    .note(String.format(
                            "**Steady state** (the goal's scenario): time to first token added by the router with %d "
                                    + "streams in flight: p50 %+.2f ms, **p99 %+.2f ms** (goal p99 ≤ 2 ms). Closed loop, each stream a "
                                    + "realistic 8B-model answer (%d ms to the first token, %d tokens %d ms apart = %.0f tokens/s), starts spread "
                                    + "over one stream's length; %d phases of %d s per side alternating direct and routed, the first "
                                    + "stream-length of each phase not measured.",
                            streams,
                            steadyAddedP50,
                            steadyAddedP99,
                            STEADY_TTFT_MS,
                            STEADY_TOKENS,
                            STEADY_INTER_TOKEN_MS,
                            1000.0 / STEADY_INTER_TOKEN_MS,
                            steadyPhases,
                            phaseNanos / 1_000_000_000L))
                    .note(
                            "Router JVM options (router/Dockerfile's JAVA_TOOL_OPTIONS in a JVM that sees the 2 GiB of its "
                                    + "container): " + String.join(" ", ImageJvmOptions.of("router")))
                    .note(warmUp)
                    .note(steadyBreakdown.get(0))
                    .note(steadyBreakdown.get(1))
                    .note(String.format(
                            "**Burst (stress)**: rounds of %d streams started at the same instant (20 tokens 5 ms apart, "
                                    + "200 tokens/s per stream), which saturate the 2 cores: added time to first token p50 %+.2f ms, p99 %+.2f ms; "
                                    + "%d streams each side. Rounds alternate direct and routed (and which goes first). Per side (CPU "
                                    + "from /proc, user + system, per stream of 20 tokens):",
                            streams, addedP50, addedP99, rounds * streams))
                    .note(breakdown.get(0))
                    .note(breakdown.get(1))
                    .note(
                            "Round-robin is client-side (no proxy hop, no retries), which favours it by the cost of a hop.")
                    .note(
                            "Everything shares one machine: simulators, router, PostgreSQL, Kafka and the load generator.");
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

    private static int startSimulator(
            List<Process> processes, Path jar, String model, int ttftMs, int interTokenMs, double errorRate)
            throws IOException {
        return startSimulator(processes, jar, model, ttftMs, interTokenMs, 20, errorRate);
    }

    private static int startSimulator(
            List<Process> processes,
            Path jar,
            String model,
            int ttftMs,
            int interTokenMs,
            int outputTokens,
            double errorRate)
            throws IOException {
        int port = FreePorts.next();
        Process process = new ProcessBuilder(
                        javaBin(),
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--models",
                        model,
                        "--ttft-ms",
                        Integer.toString(ttftMs),
                        "--inter-token-ms",
                        Integer.toString(interTokenMs),
                        "--output-tokens",
                        Integer.toString(outputTokens),
                        "--error-rate",
                        Double.toString(errorRate),
                        "--io-threads",
                        "2")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(process);
        return port;
    }

    /** @param extraProperties further {@code -Dkey=value} arguments for the router's JVM */
    static void startRouter(List<Process> processes, Path jar, int port, Path bootstrap, String... extraProperties)
            throws IOException {
        Map<String, Object> postgres = SharedInfrastructure.postgresProperties(DatabaseRoles.ROUTER);
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(ImageJvmOptions.of("router"));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null && !jfr.isBlank()) {
            command.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfr, "router.jfr").toAbsolutePath());
        }
        String diagnostics = System.getProperty("bench.router.diagnostics");
        if (diagnostics != null && !diagnostics.isBlank()) {
            // What the router's JVM does while measured: GC pauses and safepoints, and every JIT compilation, with
            // wall-clock times to match the phase boundaries this benchmark prints.
            Path dir = Path.of(diagnostics).toAbsolutePath();
            command.add("-Xlog:gc*,safepoint:file=" + dir.resolve("router-gc.log") + ":time,uptime,level,tags");
            command.add("-Xlog:jit+compilation=debug:file=" + dir.resolve("router-jit.log") + ":time,uptime");
        }
        postgres.forEach((k, v) -> command.add("-D" + k + "=" + v));
        SharedInfrastructure.kafkaProperties("router").forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of(
                "-Dmicronaut.server.port=" + port,
                "-Dsovereign.security.dev-mode=true",
                "-Drouter.bootstrap-file=" + bootstrap,
                "-Dlogger.levels.root=WARN"));
        command.addAll(List.of(extraProperties));
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("bench/target/router-bench-router.log").toFile())
                .start();
        processes.add(process);
    }

    private static void awaitModels(HttpClient http, String router, List<String> models) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create(router + "/v1/models"))
                                        .header("Authorization", "Bearer " + ROUTER_TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (models.stream().allMatch(m -> body.contains("\"" + m + "\"")) && body.contains("flaky")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250); // polling a child process that has no readiness signal
        }
        throw new IllegalStateException(
                "the router did not list " + models + " within 90 s; see bench/target/router-bench-router.log");
    }

    /** Non-streamed chats; {@code spread} sends each to the next base URL in turn (round-robin). */
    private static LoadResult runLoad(
            HttpClient http, String name, List<String> bases, int concurrency, int requests, boolean spread) {
        AtomicLong next = new AtomicLong();
        byte[] body = chat(MODEL, false).getBytes(StandardCharsets.UTF_8);
        return new ConcurrentLoad(name, concurrency, requests, Duration.ofMinutes(5)).run(sequence -> {
            String base = spread ? bases.get((int) (next.getAndIncrement() % bases.size())) : bases.getFirst();
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + ROUTER_TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Outcome.SUCCESS : Outcome.FAILURE;
        });
    }

    /** One side of the TTFT comparison: rounds of concurrent streams to one base URL, time to the first SSE data line. */
    private static final class TtftSide {
        final String name;
        final String base;
        final LatencyRecorder recorder = new LatencyRecorder();
        /** Time to the response headers and to the end of the stream, to tell where a delay sits. */
        final LatencyRecorder headers = new LatencyRecorder();

        final LatencyRecorder whole = new LatencyRecorder();
        final AtomicInteger failures = new AtomicInteger();
        long count;
        long nanos;

        final Map<String, java.util.function.LongSupplier> measured;
        final Map<String, Long> cpuNanos = new java.util.LinkedHashMap<>();

        TtftSide(String name, String base, Map<String, java.util.function.LongSupplier> measured) {
            this.name = name;
            this.base = base;
            this.measured = measured;
        }

        String cpuPerStream() {
            List<String> parts = new ArrayList<>();
            cpuNanos.forEach((process, nanos) ->
                    parts.add(String.format("%s %.0f", process, nanos / 1e3 / Math.max(1, count))));
            return String.join(", ", parts);
        }

        /** {@code streams} streams started together; returns when all have ended. */
        void round(HttpClient http, int streams) throws Exception {
            byte[] body = chat(TTFT_MODEL, true).getBytes(StandardCharsets.UTF_8);
            Map<String, Long> cpuBefore = new java.util.HashMap<>();
            measured.forEach((process, meter) -> cpuBefore.put(process, meter.getAsLong()));
            long start = System.nanoTime();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    batch.add(clients.submit(() -> {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<InputStream> response = http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                                            .timeout(Duration.ofSeconds(30))
                                            .header("Content-Type", "application/json")
                                            .header("Authorization", "Bearer " + ROUTER_TOKEN)
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofInputStream());
                            headers.recordNanos(System.nanoTime() - sent);
                            try (InputStream in = response.body()) {
                                if (response.statusCode() != 200 || !readUntilData(in)) {
                                    failures.incrementAndGet();
                                    return;
                                }
                                recorder.recordNanos(System.nanoTime() - sent);
                                in.transferTo(OutputStreamSink.INSTANCE);
                                whole.recordNanos(System.nanoTime() - sent);
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
            nanos += System.nanoTime() - start;
            count += streams;
            measured.forEach(
                    (process, meter) -> cpuNanos.merge(process, meter.getAsLong() - cpuBefore.get(process), Long::sum));
        }

        LoadResult result() {
            return new LoadResult(name, count, failures.get(), nanos / 1e9, recorder.summary());
        }
    }

    /**
     * One side of the steady-state comparison: {@code streams} closed-loop clients, each starting its next stream when
     * the last one ended, the first starts spread over one stream's length so that the streams do not move in step.
     */
    private static final class SteadySide {
        final String name;
        final String base;
        final Map<String, java.util.function.LongSupplier> measured;
        final LatencyRecorder recorder = new LatencyRecorder();
        final LatencyRecorder whole = new LatencyRecorder();
        final AtomicInteger failures = new AtomicInteger();
        final Map<String, Long> cpuNanos = new java.util.LinkedHashMap<>();
        final AtomicLong started = new AtomicLong();
        long nanos;

        SteadySide(String name, String base, Map<String, java.util.function.LongSupplier> measured) {
            this.name = name;
            this.base = base;
            this.measured = measured;
        }

        /** Runs for {@code phaseNanos}, then lets the streams in flight end; records those started after the ramp. */
        void phase(HttpClient http, int streams, long phaseNanos) throws Exception {
            mark(name + ": phase starts");
            byte[] body = chat(STEADY_MODEL, true).getBytes(StandardCharsets.UTF_8);
            long streamNanos = Duration.ofMillis(STEADY_TTFT_MS + (long) STEADY_INTER_TOKEN_MS * STEADY_TOKENS)
                    .toNanos();
            Map<String, Long> cpuBefore = new java.util.HashMap<>();
            measured.forEach((process, meter) -> cpuBefore.put(process, meter.getAsLong()));
            long start = System.nanoTime();
            long measuredFrom = start + streamNanos;
            long stopAt = start + phaseNanos;
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    long firstAt = start + streamNanos * i / streams;
                    all.add(clients.submit(() -> {
                        java.util.concurrent.locks.LockSupport.parkNanos(
                                firstAt - System.nanoTime()); // the spread start
                        while (System.nanoTime() < stopAt) {
                            long sent = System.nanoTime();
                            started.incrementAndGet();
                            boolean record = sent >= measuredFrom;
                            try {
                                HttpResponse<InputStream> response = http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                                                .timeout(Duration.ofSeconds(30))
                                                .header("Content-Type", "application/json")
                                                .header("Authorization", "Bearer " + ROUTER_TOKEN)
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofInputStream());
                                try (InputStream in = response.body()) {
                                    if (response.statusCode() != 200 || !readUntilData(in)) {
                                        failures.incrementAndGet();
                                        continue;
                                    }
                                    long first = System.nanoTime() - sent;
                                    in.transferTo(OutputStreamSink.INSTANCE);
                                    if (record) {
                                        recorder.recordNanos(first);
                                        whole.recordNanos(System.nanoTime() - sent);
                                    }
                                }
                            } catch (IOException e) {
                                failures.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            }
            nanos += System.nanoTime() - start;
            measured.forEach(
                    (process, meter) -> cpuNanos.merge(process, meter.getAsLong() - cpuBefore.get(process), Long::sum));
            mark(name + ": phase ends");
        }

        String cpuPerStream() {
            List<String> parts = new ArrayList<>();
            cpuNanos.forEach((process, cpu) ->
                    parts.add(String.format("%s %.0f", process, cpu / 1e3 / Math.max(1, started.get()))));
            return String.join(", ", parts);
        }

        LoadResult result() {
            return new LoadResult(name, recorder.summary().count(), failures.get(), nanos / 1e9, recorder.summary());
        }
    }

    /**
     * The steady scenario's warm-up: one phase direct, then phases through the router (the measured phases' exact
     * load: same streams, pacing and endpoint) until the router's JIT compiler threads have settled — used less than
     * {@code bench.steady.warm-up.jit-percent} (default 2) % of one core during a phase — or
     * {@code bench.steady.warm-up.max-phases} (default 12) phases have run. A router runs for days; the goal is about
     * its steady state, not about a JVM still compiling its hot path (on 2 cores its single C2 thread takes minutes to
     * work through the backlog, during which the hot path runs as tier-2/3 code). Returns what the warm-up did.
     */
    static String steadyWarmUp(
            HttpClient http,
            int streams,
            long phaseNanos,
            String directBase,
            String router,
            Map<String, java.util.function.LongSupplier> meters)
            throws Exception {
        double jitPercent = Double.parseDouble(System.getProperty("bench.steady.warm-up.jit-percent", "2"));
        int maxPhases = Integer.getInteger("bench.steady.warm-up.max-phases", 12);
        new SteadySide("warm-up", directBase, meters).phase(http, streams, phaseNanos);
        List<String> jitPerPhase = new ArrayList<>();
        int phases = 0;
        while (phases < maxPhases) {
            SteadySide warm = new SteadySide("warm-up", router, meters);
            long start = System.nanoTime();
            warm.phase(http, streams, phaseNanos);
            long elapsed = System.nanoTime() - start;
            phases++;
            double percent = 100.0 * warm.cpuNanos.getOrDefault("router JIT", 0L) / elapsed;
            jitPerPhase.add(String.format("%.1f", percent));
            System.out.printf(
                    "steady warm-up phase %d through the router: router JIT %.1f %% of one core%n", phases, percent);
            if (percent < jitPercent) {
                break;
            }
        }
        return String.format(
                "Steady warm-up: 1 phase direct, then %d phase(s) of %d s through the router until its JIT "
                        + "threads used < %.0f %% of one core in a phase (at most %d): JIT %% per phase %s.",
                phases, phaseNanos / 1_000_000_000L, jitPercent, maxPhases, String.join(" → ", jitPerPhase));
    }

    /** With {@code -Dbench.router.diagnostics}: the wall-clock time of a phase boundary, to read the router's logs against. */
    static void mark(String what) {
        if (System.getProperty("bench.router.diagnostics") != null) {
            System.out.println(java.time.LocalTime.now(java.time.ZoneOffset.UTC) + " " + what);
        }
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /**
     * CPU meters (nanoseconds so far) for the TTFT report: the router as a whole and parts of it (its HTTP event loops,
     * which carry the data plane; its JIT compiler threads; its GC threads), the {@code ttft} simulator, this JVM.
     */
    static Map<String, java.util.function.LongSupplier> cpuMeters(Process router, Process simulator) {
        Map<String, java.util.function.LongSupplier> meters = new java.util.LinkedHashMap<>();
        meters.put("router", () -> cpu(router.toHandle()));
        // Micronaut names its loops default-eventLoopGroup-… on NIO and default-nioEventLoopGroup-… on epoll (the OS
        // keeps 15 characters)
        meters.put(
                "router event loops",
                () -> ThreadCpu.nanos(
                        router.pid(),
                        name -> name.startsWith("default-eventLo") || name.startsWith("default-nioEven")));
        meters.put("router JIT", () -> ThreadCpu.nanos(router.pid(), ThreadCpu.JIT));
        meters.put(
                "router GC",
                () -> ThreadCpu.nanos(
                        router.pid(),
                        name -> name.startsWith("GC Thread")
                                || name.startsWith("G1 ")
                                || name.startsWith("VM Thread")));
        meters.put("simulator", () -> cpu(simulator.toHandle()));
        meters.put("bench JVM", () -> cpu(ProcessHandle.current()));
        return meters;
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
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
