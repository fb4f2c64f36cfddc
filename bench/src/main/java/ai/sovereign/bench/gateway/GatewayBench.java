package ai.sovereign.bench.gateway;

import ai.sovereign.bench.load.ConcurrentLoad;
import ai.sovereign.bench.load.FixedRateLoad;
import ai.sovereign.bench.load.ImageJvmOptions;
import ai.sovereign.bench.load.LatencyRecorder;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.load.Outcome;
import ai.sovereign.bench.load.RequestCall;
import ai.sovereign.bench.load.SocketHttpClient;
import ai.sovereign.bench.load.ThreadCpu;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.SharedInfrastructure;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gateway's added latency and throughput (issue 4): the same small requests to an llm-simulator directly, through
 * nginx proxying it (when nginx is installed), through two nginx processes in a row (the two-hop topology of the
 * gateway path with the reference proxy in both places: what two proxy processes cost on this machine), through the
 * router alone, and through the gateway in front of the router (gateway → router → simulator, each its jar as its own
 * process: a real key, limits checked, tokens metered, a routing decision and a usage record per request), in one
 * run. Figures: p50/p99 of small non-streaming chats at a fixed rate, saturated throughput with N concurrent clients,
 * and time to the first streamed token.
 *
 * <p>{@code -Dbench.jfr=DIR} records a JFR profile of the gateway and the router into DIR.
 */
public final class GatewayBench {

    private static final String MODEL = "llama3.1:8b";
    private static final String NGINX_CHAIN = "nginx-chain";
    private static final String KEY = "sk-bench-bootstrap-admin-key-0123456789";
    private static final String SMALL =
            "{\"model\":\"" + MODEL + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private GatewayBench() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path results = Path.of(args.length > 3 ? args[3] : "bench/results");
        Path jar = Path.of(args.length > 4 ? args[4] : "gateway/target/gateway.jar");
        Path routerJar = Path.of(args.length > 5 ? args[5] : "router/target/router.jar");

        try (LlmSimulator simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withModels(MODEL)
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(8)))) {
            int routerPort = FreePorts.next();
            Process router = startRouter(routerJar, routerPort, simulator.baseUrl(), results);
            String routerUrl = "http://127.0.0.1:" + routerPort;
            Process gateway = startGateway(jar, routerUrl, results);
            List<Process> nginxes = new ArrayList<>();
            try {
                String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
                awaitModel(routerUrl, Duration.ofMinutes(2));
                awaitUp(gatewayUrl + "/health", Duration.ofSeconds(90));
                List<Target> targets = new ArrayList<>();
                targets.add(new Target("direct", simulator.baseUrl(), null));
                String nginxBinary = findNginx();
                if (nginxBinary != null) {
                    int port = FreePorts.next();
                    nginxes.add(startNginx(nginxBinary, port, simulator.port(), results, "nginx"));
                    awaitUp("http://127.0.0.1:" + port + "/v1/models", Duration.ofSeconds(20));
                    targets.add(new Target("nginx", "http://127.0.0.1:" + port, null));
                    // nginx-chain: client → front nginx → back nginx → simulator, two processes like gateway → router.
                    int backPort = FreePorts.next();
                    int frontPort = FreePorts.next();
                    nginxes.add(startNginx(nginxBinary, backPort, simulator.port(), results, "nginx-chain-back"));
                    nginxes.add(startNginx(nginxBinary, frontPort, backPort, results, "nginx-chain-front"));
                    awaitUp("http://127.0.0.1:" + frontPort + "/v1/models", Duration.ofSeconds(20));
                    targets.add(new Target(NGINX_CHAIN, "http://127.0.0.1:" + frontPort, null));
                }
                // the router takes only callers with a service token: the bench calls it as the gateway would
                targets.add(new Target("router", routerUrl, ROUTER_TOKEN));
                targets.add(new Target("gateway", gatewayUrl, KEY));
                // -Dbench.paths=nginx,gateway measures only those paths (profiling runs); the default is all five.
                String only = System.getProperty("bench.paths");
                if (only != null && !only.isBlank()) {
                    List<String> wanted = List.of(only.split(","));
                    targets.removeIf(target -> !wanted.contains(target.name()) && !"direct".equals(target.name()));
                }

                BenchReport report = new BenchReport(
                        "gateway",
                        "java -cp bench/target/classes:$(cat bench/target/classpath.txt) "
                                + "ai.sovereign.bench.gateway.GatewayBench " + rate + " " + seconds + " "
                                + concurrency);
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                List<String> lines = new ArrayList<>();
                Map<String, LoadResult[]> byTarget = new java.util.LinkedHashMap<>();
                CpuMeter cpu = new CpuMeter(router, gateway, nginxes);
                List<String> cpuLines = new ArrayList<>();
                List<String> warmups = new ArrayList<>();
                Target directTarget = targets.getFirst();
                Map<String, LoadResult> pairedDirect = new java.util.LinkedHashMap<>();
                for (Target target : targets) {
                    warmups.add(warmUp(http, target, rate, concurrency, cpu));
                    PairedFixedRate paired = pairedFixedRate(rate, seconds, http, target, directTarget, cpu);
                    LoadResult fixed = paired.path();
                    if (!target.equals(directTarget)) {
                        pairedDirect.put(target.name(), paired.direct());
                        report.add(paired.direct());
                    }
                    String threadsFixed = paired.threadGroups();
                    Map<String, Long> afterFixed = cpu.snapshot();
                    LoadResult saturated = new ConcurrentLoad(
                                    target.name() + " saturated x" + concurrency,
                                    concurrency,
                                    Long.MAX_VALUE,
                                    Duration.ofSeconds(seconds))
                            .run(call(http, target, SMALL, false));
                    Map<String, Long> afterSaturated = cpu.snapshot();
                    cpuLines.add(String.format(
                            "%s CPU per request (µs), at %.0f/s: %s; saturated: %s",
                            target.name(),
                            rate,
                            paired.cpuPerRequest(),
                            CpuMeter.perRequest(afterFixed, afterSaturated, saturated.requests())));
                    cpuLines.add(String.format(
                            "%s CPU per request by thread group (µs), at %.0f/s: %s",
                            target.name(), rate, threadsFixed));
                    LoadResult ttft = new FixedRateLoad(
                                    target.name() + " stream TTFT 50/s",
                                    50,
                                    50L * seconds,
                                    Duration.ofSeconds(seconds + 10),
                                    500)
                            .run(call(http, target, STREAM, true));
                    report.add(fixed).add(saturated).add(ttft);
                    byTarget.put(target.name(), new LoadResult[] {fixed, saturated, ttft});
                    lines.add(String.format(
                            "%s: p50 %.3f ms, p99 %.3f ms at %.0f/s (%d failed); saturated %.0f req/s; TTFT p50 %.3f ms p99 %.3f ms",
                            target.name(),
                            fixed.latency().p50Ms(),
                            fixed.latency().p99Ms(),
                            fixed.requestsPerSecond(),
                            fixed.failures(),
                            saturated.requestsPerSecond(),
                            ttft.latency().p50Ms(),
                            ttft.latency().p99Ms()));
                }
                report.note(
                        "Paths: direct = client → simulator; nginx = client → nginx → simulator; nginx-chain = client → "
                                + "nginx → a second nginx process → simulator (two proxy processes in a row, the gateway path's "
                                + "topology with the reference proxy in both places); router = client → router "
                                + "→ simulator; gateway = client → gateway → router → simulator (the path of issue 4). Added = the "
                                + "path's figure minus the direct one, same run; at the fixed rate, minus the direct rounds "
                                + "interleaved with the path's (rows \"direct fixed … ⇄ path\"): "
                                + PAIRED_ROUND_SECONDS
                                + " s rounds alternating, path first.");
                LoadResult[] direct = byTarget.get("direct");
                for (String name : List.of("nginx", NGINX_CHAIN, "router", "gateway")) {
                    LoadResult[] path = byTarget.get(name);
                    if (path == null) {
                        continue;
                    }
                    LoadResult directFixed = pairedDirect.get(name);
                    String vsNginx = byTarget.containsKey("nginx") && !"nginx".equals(name)
                            ? String.format(
                                    "; throughput %.2f× nginx's",
                                    path[1].requestsPerSecond() / byTarget.get("nginx")[1].requestsPerSecond())
                            : "";
                    lines.add(String.format(
                            "%s added over direct: p50 %+.3f ms, p99 %+.3f ms at %.0f/s; stream TTFT p50 %+.3f ms, "
                                    + "p99 %+.3f ms%s",
                            name,
                            path[0].latency().p50Ms() - directFixed.latency().p50Ms(),
                            path[0].latency().p99Ms() - directFixed.latency().p99Ms(),
                            rate,
                            path[2].latency().p50Ms() - direct[2].latency().p50Ms(),
                            path[2].latency().p99Ms() - direct[2].latency().p99Ms(),
                            vsNginx));
                }
                report.note(
                        "Goals (issue 4, gateway row): added p99 ≤ 1 ms at 500 req/s; saturated throughput ≥ 0.5× nginx's.");
                report.note("Outbox (sovereign.outbox.directory, as deployed): "
                        + (System.getProperty("bench.outbox", "on").equals("off")
                                ? "off (-Dbench.outbox=off): events go straight to the Kafka producer"
                                : "on for the router and the gateway: every usage record and audit event is journaled"
                                        + " on disk (group fsync) before the relay sends it to Kafka"));
                report.note("Warm-up right before each path's measured phases, not measured: "
                        + Integer.getInteger("bench.warmup-seconds", 10)
                        + " s saturated, up to 1000 streams, then rounds of "
                        + WARMUP_ROUND_SECONDS
                        + " s at the fixed rate until the JIT compiler threads of all JVMs on the "
                        + "machine (gateway, router, this one) used < " + JIT_QUIET_PERCENT
                        + " % of one core in a round (at "
                        + "most " + MAX_WARMUP_ROUNDS + "; -Dbench.warmup-seconds, -Dbench.warmup.jit-percent, "
                        + "-Dbench.warmup.max-rounds). JIT % of one core per round: " + String.join("; ", warmups)
                        + ".");
                report.note("Gateway JVM options (gateway/Dockerfile's JAVA_TOOL_OPTIONS in a JVM that sees the "
                        + ImageJvmOptions.CONTAINER_MEMORY + " of its container): "
                        + String.join(" ", ImageJvmOptions.of("gateway"))
                        + "; router (router/Dockerfile's, the same way): "
                        + String.join(" ", ImageJvmOptions.of("router")) + ".");
                if (!System.getProperty("bench.service-jvm-opts", "").isBlank()) {
                    report.note("Extra service JVM options (gateway and router, after the shipped ones): "
                            + System.getProperty("bench.service-jvm-opts").trim() + " (-Dbench.service-jvm-opts).");
                }
                report.note(
                        "Load generator, simulator, PostgreSQL and Kafka share the machine (2 cores here) with the router, the gateway and the nginx processes.");
                report.note(
                        "jdk".equals(System.getProperty("bench.fixed-client"))
                                ? "Fixed-rate phases sent with the JDK's HttpClient on virtual threads (-Dbench.fixed-client=jdk)."
                                : "Fixed-rate phases sent with a blocking-socket HTTP/1.1 client (keep-alive connections, one platform "
                                        + "thread per request in flight, like wrk2's), the saturated and streaming phases with the JDK's "
                                        + "HttpClient; -Dbench.fixed-client=jdk sends the fixed-rate phases with the JDK's client too.");
                if (nginxBinary == null) {
                    report.note(
                            "nginx was not installed, so there is no nginx row (bench/gateway-bench.sh installs it).");
                }
                lines.forEach(report::note);
                report.note("CPU time per request of each process (user + system, from /proc; µs) in each phase — what "
                        + "each hop costs on this machine. bench = the benchmark's JVM: load generator, simulator and Kafka. "
                        + "gateway-jit and router-jit = the part of that service's figure spent by its JIT compiler threads "
                        + "(C1/C2; not added again to all).");
                cpuLines.forEach(report::note);
                lines.addAll(cpuLines);
                Path written = report.write(results);
                writeSlowLog();
                lines.forEach(System.out::println);
                System.out.println("written " + written);
                http.close();
                SOCKET_CLIENTS.values().forEach(SocketHttpClient::close);
            } finally {
                gateway.destroy();
                router.destroy();
                nginxes.forEach(Process::destroy);
            }
        }
        System.exit(0);
    }

    private record Target(String name, String baseUrl, String key) {}

    private static final int WARMUP_ROUND_SECONDS = 10;
    private static final double JIT_QUIET_PERCENT =
            Double.parseDouble(System.getProperty("bench.warmup.jit-percent", "2"));
    private static final int MAX_WARMUP_ROUNDS = Integer.getInteger("bench.warmup.max-rounds", 12);
    /** Seconds of each round of a path's fixed-rate phase; rounds alternate with the simulator directly. */
    private static final int PAIRED_ROUND_SECONDS = 2;

    /**
     * A path's fixed-rate phase and the direct rounds interleaved with it: the path's CPU per request by process and
     * by thread group (its own rounds only).
     */
    private record PairedFixedRate(LoadResult path, LoadResult direct, String cpuPerRequest, String threadGroups) {}

    /** Fixed-rate rounds of one side, summed: latencies, counts, and (when metered) CPU by process and thread group. */
    private static final class Rounds {
        final String name;
        final LatencyRecorder latencies = new LatencyRecorder();
        final Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        final Map<String, Map<String, Long>> threadGroups = new java.util.LinkedHashMap<>();
        long requests;
        long failures;
        double seconds;

        Rounds(String name) {
            this.name = name;
        }

        void run(double rate, int roundSeconds, HttpClient http, Target target, CpuMeter meter)
                throws InterruptedException {
            Map<String, Long> before = meter == null ? null : meter.snapshot();
            Map<String, Map<Long, ThreadCpu.Sample>> threadsBefore = meter == null ? null : meter.threads();
            LoadResult part = fixedRate(name, rate, roundSeconds, http, target, latencies);
            if (meter != null) {
                meter.snapshot().forEach((k, v) -> cpu.merge(k, v - before.getOrDefault(k, 0L), Long::sum));
                meter.threads()
                        .forEach((jvm, threads) -> ThreadCpu.byGroup(threadsBefore.getOrDefault(jvm, Map.of()), threads)
                                .forEach((group, nanos) -> threadGroups
                                        .computeIfAbsent(jvm, k -> new java.util.HashMap<>())
                                        .merge(group, nanos, Long::sum)));
            }
            requests += part.requests();
            failures += part.failures();
            seconds += part.seconds();
        }

        LoadResult result() {
            return new LoadResult(name, requests, failures, seconds, latencies.summary());
        }
    }

    /**
     * {@code seconds} at {@code rate} through {@code target} in rounds of {@value #PAIRED_ROUND_SECONDS} s alternating with
     * as many rounds straight to the simulator (path, direct, path, direct, …: the path idles one round at most), so
     * that a JIT compilation, a collection or a Kafka flush somewhere on the machine falls on both sides alike instead
     * of on whichever phase ran at the time; the added latency is the path's figure minus its own interleaved direct
     * figure. For the direct target itself, one plain phase.
     */
    private static PairedFixedRate pairedFixedRate(
            double rate, int seconds, HttpClient http, Target target, Target direct, CpuMeter cpu)
            throws InterruptedException {
        Rounds path = new Rounds(target.name() + " fixed " + (int) rate + "/s");
        if (target.equals(direct)) {
            path.run(rate, seconds, http, target, cpu);
            LoadResult fixed = path.result();
            return new PairedFixedRate(
                    fixed,
                    fixed,
                    CpuMeter.perRequest(Map.of(), path.cpu, fixed.requests()),
                    CpuMeter.perThreadGroup(path.threadGroups, fixed.requests()));
        }
        Rounds interleaved = new Rounds("direct fixed " + (int) rate + "/s ⇄ " + target.name());
        for (int round = 0; round < Math.max(1, seconds / PAIRED_ROUND_SECONDS); round++) {
            path.run(rate, PAIRED_ROUND_SECONDS, http, target, cpu);
            interleaved.run(rate, PAIRED_ROUND_SECONDS, http, direct, null);
        }
        LoadResult fixed = path.result();
        return new PairedFixedRate(
                fixed,
                interleaved.result(),
                CpuMeter.perRequest(Map.of(), path.cpu, fixed.requests()),
                CpuMeter.perThreadGroup(path.threadGroups, fixed.requests()));
    }

    /**
     * Warms {@code target}'s path up right before it is measured, so the fixed-rate phase meets the services in the state
     * that traffic leaves them in: connection pools, and the JIT at rest. Saturated load and streams first (the JIT
     * compiles the hot paths), then rounds at the fixed rate until the JIT compiler threads of every JVM on the machine
     * settle: going from saturated load to a fixed rate sends C2 back to work (deoptimizations, recompilations, ~0.4 of
     * a core for tens of seconds), and a compilation burst competing with the requests for the two cores is exactly the
     * tail the fixed-rate phase measures. Returns the JIT share of one core per fixed-rate round, for the report.
     */
    private static String warmUp(HttpClient http, Target target, double rate, int concurrency, CpuMeter cpu)
            throws InterruptedException {
        int warmupSeconds = Integer.getInteger("bench.warmup-seconds", 10);
        new ConcurrentLoad("warmup", concurrency, Long.MAX_VALUE, Duration.ofSeconds(warmupSeconds))
                .run(call(http, target, SMALL, false));
        new ConcurrentLoad("warmup", 4, 1000, Duration.ofSeconds(warmupSeconds)).run(call(http, target, STREAM, true));
        List<String> rounds = new ArrayList<>();
        for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
            Map<String, Long> jitBefore = cpu.jitNanos();
            long start = System.nanoTime();
            fixedRate("warmup fixed", rate, WARMUP_ROUND_SECONDS, http, target, new LatencyRecorder());
            long elapsed = System.nanoTime() - start;
            List<String> perJvm = new ArrayList<>();
            long jit = 0;
            for (Map.Entry<String, Long> jvm : cpu.jitNanos().entrySet()) {
                long used = jvm.getValue() - jitBefore.getOrDefault(jvm.getKey(), 0L);
                jit += used;
                perJvm.add(String.format("%s %.1f", jvm.getKey(), 100.0 * used / elapsed));
            }
            double percent = 100.0 * jit / elapsed;
            rounds.add(String.format("%.1f", percent));
            System.out.printf(
                    "%s warm-up round %d at %.0f/s: JIT %.1f %% of one core (%s)%n",
                    target.name(), round, rate, percent, String.join(", ", perJvm));
            if (percent < JIT_QUIET_PERCENT) {
                break;
            }
        }
        return target.name() + " " + String.join(" → ", rounds);
    }

    /** CPU time (user + system) of the processes taking part, read between phases. */
    private static final class CpuMeter {
        private static final String JIT = "-jit";
        private static final String NGINX = "nginx";
        private final Map<String, List<Process>> services = new java.util.LinkedHashMap<>();

        /** {@code nginxes}: every nginx master process (their workers are counted with them), all as "nginx". */
        CpuMeter(Process router, Process gateway, List<Process> nginxes) {
            services.put("gateway", List.of(gateway));
            services.put("router", List.of(router));
            if (!nginxes.isEmpty()) {
                services.put(NGINX, List.copyOf(nginxes));
            }
        }

        /** Nanoseconds of CPU so far: each service (nginx with its workers), the bench JVM, PostgreSQL (the rest). */
        Map<String, Long> snapshot() {
            Map<String, Long> out = new java.util.LinkedHashMap<>();
            java.util.Set<Long> counted = new java.util.HashSet<>();
            services.forEach((name, processes) -> {
                long total = 0;
                for (Process process : processes) {
                    total += cpu(process.toHandle());
                    counted.add(process.pid());
                    for (ProcessHandle child : process.descendants().toList()) {
                        total += cpu(child);
                        counted.add(child.pid());
                    }
                }
                out.put(name, total);
                if (!NGINX.equals(name)) {
                    out.put(name + JIT, ThreadCpu.nanos(processes.getFirst().pid(), ThreadCpu.JIT));
                }
            });
            out.put("bench", cpu(ProcessHandle.current()));
            out.put(
                    "postgres",
                    ProcessHandle.current()
                            .descendants()
                            .filter(p -> !counted.contains(p.pid()))
                            .mapToLong(CpuMeter::cpu)
                            .sum());
            return out;
        }

        /** Each JVM service's threads and the benchmark JVM's now. */
        Map<String, Map<Long, ThreadCpu.Sample>> threads() {
            Map<String, Map<Long, ThreadCpu.Sample>> out = new java.util.LinkedHashMap<>();
            services.forEach((name, processes) -> {
                if (!NGINX.equals(name)) {
                    out.put(name, ThreadCpu.threads(processes.getFirst().pid()));
                }
            });
            out.put("bench", ThreadCpu.threads(ProcessHandle.current().pid()));
            return out;
        }

        /** Per JVM, its busiest thread groups' CPU per request, from the nanoseconds each group used. */
        static String perThreadGroup(Map<String, Map<String, Long>> groupsByJvm, long requests) {
            List<String> jvms = new ArrayList<>();
            groupsByJvm.forEach((name, groups) -> {
                List<String> parts = new ArrayList<>();
                long rest = 0;
                int shown = 0;
                for (Map.Entry<String, Long> group : groups.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .toList()) {
                    if (shown++ < 6) {
                        parts.add(String.format(
                                "%s %.0f", group.getKey().trim(), group.getValue() / 1e3 / Math.max(1, requests)));
                    } else {
                        rest += group.getValue();
                    }
                }
                parts.add(String.format("other %.0f", rest / 1e3 / Math.max(1, requests)));
                jvms.add(name + " [" + String.join(", ", parts) + "]");
            });
            return String.join("; ", jvms);
        }

        /** CPU nanoseconds so far of the JIT compiler threads of each service and of this JVM ("bench"). */
        Map<String, Long> jitNanos() {
            Map<String, Long> nanos = new java.util.LinkedHashMap<>();
            services.forEach((name, processes) -> {
                if (!NGINX.equals(name)) {
                    nanos.put(name, ThreadCpu.nanos(processes.getFirst().pid(), ThreadCpu.JIT));
                }
            });
            nanos.put("bench", ThreadCpu.nanos(ProcessHandle.current().pid(), ThreadCpu.JIT));
            return nanos;
        }

        private static long cpu(ProcessHandle process) {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        static String perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
            List<String> parts = new ArrayList<>();
            long sum = 0;
            for (Map.Entry<String, Long> entry : after.entrySet()) {
                long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
                if (!entry.getKey().endsWith(JIT)) {
                    sum += delta;
                }
                parts.add(String.format("%s %.0f", entry.getKey(), delta / 1e3 / Math.max(1, requests)));
            }
            parts.add(String.format("all %.0f", sum / 1e3 / Math.max(1, requests)));
            return String.join(", ", parts);
        }
    }

    /** {@code -Dbench.slow-log=FILE}: the measured fixed-rate requests that took ≥ 1 ms, with their time, per phase. */
    private static final String SLOW_LOG = System.getProperty("bench.slow-log");

    private static final Map<String, java.util.Queue<long[]>> SLOW = new java.util.concurrent.ConcurrentHashMap<>();

    private static void writeSlowLog() throws IOException {
        if (SLOW_LOG == null) {
            return;
        }
        StringBuilder out = new StringBuilder("phase,end_epoch_ms,latency_us\n");
        SLOW.forEach((phase, requests) -> requests.forEach(r -> out.append(phase)
                .append(',')
                .append(r[0])
                .append(',')
                .append(r[1])
                .append('\n')));
        Files.writeString(Path.of(SLOW_LOG), out);
    }

    /** Platform threads for the fixed-rate phases' socket client (idle ones are reused; see {@link FixedRateLoad}). */
    private static final ExecutorService FIXED_RATE_WORKERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("fixed-rate-", 0).daemon().factory());

    /**
     * {@code seconds} of small chats to {@code target} at {@code rate}, open loop. Sent with {@link SocketHttpClient} on
     * platform threads: the generator's CPU per request and its thread wake-ups compete with the services for the same
     * two cores, and with the JDK's HttpClient they were ~220 µs and ~5 per request. {@code -Dbench.fixed-client=jdk}
     * sends them with the JDK's HttpClient on virtual threads instead (as the saturated and streaming phases are).
     */
    private static LoadResult fixedRate(
            String name, double rate, int seconds, HttpClient http, Target target, LatencyRecorder latencies)
            throws InterruptedException {
        FixedRateLoad load =
                new FixedRateLoad(name, rate, (long) (rate * seconds), Duration.ofSeconds(seconds + 10), 2000);
        if (SLOW_LOG != null && !name.startsWith("warmup")) {
            load.slowRequestsInto(
                    SLOW.computeIfAbsent(name, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()),
                    Duration.ofMillis(1));
        }
        if ("jdk".equals(System.getProperty("bench.fixed-client"))) {
            try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                return load.run(call(http, target, SMALL, false), virtual, latencies);
            }
        }
        SocketHttpClient client = SOCKET_CLIENTS.computeIfAbsent(
                target.name(),
                path -> new SocketHttpClient(
                        URI.create(target.baseUrl() + "/v1/chat/completions"),
                        SMALL.getBytes(StandardCharsets.UTF_8),
                        target.key() == null ? Map.of() : Map.of("Authorization", "Bearer " + target.key())));
        return load.run(
                sequence -> client.send().status() == 200 ? Outcome.SUCCESS : Outcome.FAILURE,
                FIXED_RATE_WORKERS,
                latencies);
    }

    /**
     * One socket client per path for the whole run: its keep-alive connections carry every fixed-rate round, as a
     * client application's would (a new connection's first request costs the services ms of pipeline set-up).
     */
    private static final Map<String, SocketHttpClient> SOCKET_CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static RequestCall call(HttpClient http, Target target, String body, boolean stream) {
        URI uri = URI.create(target.baseUrl() + "/v1/chat/completions");
        return sequence -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (target.key() != null) {
                request.header("Authorization", "Bearer " + target.key());
            }
            if (!stream) {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                return response.statusCode() == 200 ? Outcome.SUCCESS : Outcome.FAILURE;
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                        return response.statusCode() == 200 ? Outcome.SUCCESS : Outcome.FAILURE; // first token
                    }
                }
                return Outcome.FAILURE;
            }
        };
    }

    private static int gatewayPort;
    /** The platform's token keys for this run: the router trusts them, the gateway signs with its own. */
    private static final PlatformKeys KEYS = platformKeys();

    /** What the gateway would send the router for the bench's key; valid for the whole run. */
    private static final String ROUTER_TOKEN = KEYS.signer("gateway", List.of("router"), java.time.Clock.systemUTC())
            .issue("router", "gateway-bench", "bench", Role.USER, Duration.ofHours(1));

    private static PlatformKeys platformKeys() {
        try {
            return PlatformKeys.loadOrGenerate(Files.createTempDirectory("gateway-bench-keys"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Extra JVM options of {@code service}, after the shipped ones: {@code -Dbench.service-jvm-opts} (space-separated, for both services; e.g. a GC
     * to compare), and a JFR profile when {@code -Dbench.jfr=DIR} is set.
     */
    private static List<String> profiling(String service) {
        List<String> options = new ArrayList<>();
        String extra = System.getProperty("bench.service-jvm-opts", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        String dir = System.getProperty("bench.jfr");
        if (dir != null) {
            options.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(dir, service + ".jfr").toAbsolutePath());
        }
        return options;
    }

    /**
     * A fresh outbox directory for {@code service}, as deployed (the all-in-one, compose and Kubernetes turn the outbox
     * on); none with {@code -Dbench.outbox=off}, for comparison.
     */
    private static java.util.Optional<Path> outboxDirectory(String service) throws IOException {
        if (System.getProperty("bench.outbox", "on").equals("off")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Files.createTempDirectory("gateway-bench-outbox-" + service));
    }

    /** The router with the simulator as its only server (OpenAI type, room for every client of the benchmark). */
    private static Process startRouter(Path jar, int port, String simulatorUrl, Path results) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; run ./mvnw -q -o -pl router package -DskipTests first");
        }
        Path bootstrap = Files.createTempFile("gateway-bench-router", ".json");
        Files.writeString(bootstrap, """
                {"servers":[{"id":"sim","url":"%s","type":"openai","maxConcurrency":4096}],
                 "health":{"intervalMs":5000,"timeoutMs":2000},
                 "queue":{"maxSize":10000,"timeoutMs":60000}}
                """.formatted(simulatorUrl));
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ImageJvmOptions.of("router"));
        command.addAll(profiling("router"));
        SharedInfrastructure.postgresProperties(DatabaseRoles.ROUTER)
                .forEach((k, v) -> command.add("-D" + k + "=" + v));
        SharedInfrastructure.kafkaProperties("router").forEach((k, v) -> command.add("-D" + k + "=" + v));
        outboxDirectory("router").ifPresent(dir -> command.add("-Dsovereign.outbox.directory=" + dir));
        command.addAll(List.of(
                "-Dmicronaut.server.port=" + port,
                "-Dsovereign.security.trusted-keys=" + KEYS.trustedKeys(),
                "-Drouter.bootstrap-file=" + bootstrap,
                "-Dlogger.levels.root=WARN",
                "-jar",
                jar.toString()));
        Files.createDirectories(results);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(results.resolve("gateway-bench-router.log").toFile())
                .start();
    }

    private static void awaitModel(String routerUrl, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                HttpRequest.newBuilder(URI.create(routerUrl + "/v1/models"))
                                        .header("Authorization", "Bearer " + ROUTER_TOKEN)
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains("\"" + MODEL + "\"")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200); // polling an external process's port: there is nothing to await but time
        }
        throw new IllegalStateException(
                "the router did not list " + MODEL + " within " + timeout + "; see gateway-bench-router.log");
    }

    private static Process startGateway(Path jar, String routerUrl, Path results) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar + " is missing; run ./mvnw -q -o -pl gateway package -DskipTests first");
        }
        gatewayPort = FreePorts.next();
        Files.createDirectories(results);
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ImageJvmOptions.of("gateway"));
        command.addAll(profiling("gateway"));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(gatewayPort));
        SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY)
                .forEach((key, value) -> env.put(
                        key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                        String.valueOf(value)));
        SharedInfrastructure.kafkaProperties("gateway")
                .forEach((key, value) -> env.put(
                        key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                        String.valueOf(value)));
        env.putAll(KEYS.environment("gateway"));
        env.put("GATEWAY_KEYS_SECRET", "bench-key-secret-0123456789abcdefghijklmnopq");
        env.put("SOVEREIGN_BOOTSTRAP_ADMIN_KEY", KEY);
        env.put("GATEWAY_UPSTREAMS_ROUTER", routerUrl);
        outboxDirectory("gateway").ifPresent(dir -> env.put("SOVEREIGN_OUTBOX_DIRECTORY", dir.toString()));
        env.put("LOG_LEVEL", "WARN");
        builder.redirectErrorStream(true)
                .redirectOutput(results.resolve("gateway-bench-gateway.log").toFile());
        return builder.start();
    }

    private static String findNginx() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * nginx as a plain reverse proxy to 127.0.0.1:{@code upstreamPort} (the simulator, or another nginx), with upstream
     * keep-alive, in its own prefix directory; its output goes to {@code gateway-bench-<name>.log}.
     */
    private static Process startNginx(String binary, int port, int upstreamPort, Path results, String name)
            throws IOException {
        Path prefix = Files.createTempDirectory("gateway-bench-nginx");
        Files.createDirectories(prefix.resolve("logs"));
        String conf = """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp;
                  proxy_temp_path %1$s/tmp;
                  upstream sim { server 127.0.0.1:%3$d; keepalive 128; }
                  server {
                    listen 127.0.0.1:%2$d;
                    location / {
                      proxy_pass http://sim;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(prefix, port, upstreamPort);
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, conf);
        return new ProcessBuilder(binary, "-p", prefix.toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        results.resolve("gateway-bench-" + name + ".log").toFile())
                .start();
    }

    private static void awaitUp(String url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(url))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        < 500) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200); // polling an external process's port: there is nothing to await but time
        }
        throw new IllegalStateException(url + " did not come up within " + timeout);
    }
}
