package ai.sovereign.bench.router;

import ai.sovereign.bench.load.LatencyRecorder;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.BlockHashes;
import ai.sovereign.simulator.cache.PrefixCache;
import ai.sovereign.simulator.cache.PrefixCacheSettings;
import ai.sovereign.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prefix-cache-aware routing (issue 10) against round-robin and least-loaded, in one run, on simulated servers that
 * model their KV cache ({@link PrefixCacheSettings#a10g8b()}: 2,900 blocks of 16 tokens, 200 µs prefill per
 * uncached token, one prefill at a time per GPU).
 *
 * <p>Workload: {@code users} closed-loop users (no think time), each holding multi-turn conversations (3 to 6
 * turns) that start with one of 50 shared system prompts of 2,000 tokens, chosen at random; each turn adds a user
 * message of ~50 tokens and, after the answer, a stand-in assistant message of the answer's length. Every request
 * streams; time to first token is measured at the client to the first SSE data line.
 *
 * <p>Strategies, each from cold caches for the same time: round-robin (client-side, straight to the servers, no
 * proxy hop), least-loaded (the router with {@code balancing.weights.prefix} 0) and prefix-aware (the router with
 * its default weights; no session header, so placement comes from the prompt alone).
 *
 * <p>Arguments: seconds per strategy (default 60), users (default 200), servers (default 8), results directory
 * (default {@code bench/results}).
 */
public final class PrefixRoutingBench {

    static final String MODEL = "bench:8b";
    static final int PROMPTS = 50;
    static final int SYSTEM_TOKENS = 2_000;
    static final int OUTPUT_TOKENS = 64;
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\"\\s*:\\s*(\\d+)");
    private static final String[] WORDS =
            ("the of and to in is that for it as with was on be by this are from at or an "
                            + "have not which but all were when we there can more if will one about up out what so them into has "
                            + "time only new some could these may then do first any my now such like other over our even most made "
                            + "after also did many before must through back years where much your way well down should because each "
                            + "just those people how too little state good very make world still own see men work long get here "
                            + "between both life being under never day same another know while last might us great old year off come "
                            + "since against go came right used take three")
                    .split(" ");

    private static String adminToken;

    private PrefixRoutingBench() {}

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // the in-process Kafka and PostgreSQL of the test kit keep non-daemon threads
    }

    private static void run(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int serverCount = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path results = Path.of(args.length > 3 ? args[3] : "bench/results");
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        Path routerJar = Path.of("router/target/router.jar");
        if (!Files.isRegularFile(routerJar)) {
            throw new IllegalStateException(routerJar + " is missing; build it first (see bench/README.md)");
        }
        PrefixCacheSettings gpu = PrefixCacheSettings.a10g8b();
        // 20 ms to the first token besides prefill (scheduling, first decode step), then 30 ms per token: an 8B model
        // on an A10G decodes ~30-35 tokens/s per sequence at batch ~25.
        ModelBehaviour behaviour = ModelBehaviour.defaults()
                .withTimeToFirstToken(Duration.ofMillis(20))
                .withInterTokenLatency(Duration.ofMillis(30))
                .withOutputTokens(OUTPUT_TOKENS);
        List<LlmSimulator> servers = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        try {
            StringBuilder fleet = new StringBuilder();
            for (int i = 0; i < serverCount; i++) {
                LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults()
                        .withPort(0)
                        .withModels(MODEL)
                        .withDefaultBehaviour(behaviour)
                        .withPrefixCache(gpu)
                        .withIoThreads(1));
                servers.add(sim);
                fleet.append(i == 0 ? "" : ",")
                        .append("{\"id\":\"gpu-")
                        .append(i)
                        .append("\",\"url\":\"")
                        .append(sim.baseUrl())
                        .append("\",\"type\":\"openai\",\"maxConcurrency\":64}");
            }
            int routerPort = FreePorts.next();
            Path bootstrap = Files.createTempFile("prefix-bench", ".json");
            Files.writeString(
                    bootstrap,
                    "{\"servers\":[" + fleet + "],"
                            + "\"health\":{\"intervalMs\":1000,\"timeoutMs\":1000},"
                            + "\"queue\":{\"maxSize\":5000,\"timeoutMs\":300000},"
                            + "\"retry\":{\"maxAttempts\":3,\"firstByteTimeoutMs\":300000,\"streamIdleTimeoutMs\":300000},"
                            + "\"balancing\":{\"prefix\":{\"blocksPerServer\":" + gpu.capacityBlocks() + "}}}");
            // the router runs in dev mode: the bench signs as the gateway with the development key, an admin token for
            // PATCH config/balancing and the inference calls alike
            adminToken = ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC())
                    .issue("router", "prefix-bench", "_platform", Role.ADMIN, Duration.ofHours(4));
            // a run may last longer than the verifiers' default token lifetime (1 h): this router admits 4 h
            RouterBench.startRouter(
                    processes, routerJar, routerPort, bootstrap, "-Dsovereign.security.max-token-lifetime=4h");
            String router = "http://127.0.0.1:" + routerPort;
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            awaitFleet(http, router, serverCount);

            String[] systemPrompts = new String[PROMPTS];
            for (int p = 0; p < PROMPTS; p++) {
                systemPrompts[p] = "System prompt " + p + ". " + words(new SplittableRandom(p), SYSTEM_TOKENS - 4);
            }
            List<String> direct = servers.stream().map(LlmSimulator::baseUrl).toList();
            AtomicLong next = new AtomicLong();

            // Warm-up of the JIT and connection pools on a tiny prompt, then caches emptied.
            run(
                    http,
                    "warm-up",
                    users / 4,
                    0,
                    10,
                    i -> direct.get((int) (next.getAndIncrement() % direct.size())),
                    new String[] {"warm up"},
                    servers);
            run(http, "warm-up", users / 4, 0, 10, i -> router, new String[] {"warm up"}, servers);

            Phase roundRobin = run(
                    http,
                    "round-robin",
                    users,
                    warmup,
                    seconds,
                    i -> direct.get((int) (next.getAndIncrement() % direct.size())),
                    systemPrompts,
                    servers);
            patchPrefixWeight(http, router, 0);
            Phase leastLoaded = run(
                    http,
                    "least-loaded (router, prefix weight 0)",
                    users,
                    warmup,
                    seconds,
                    i -> router,
                    systemPrompts,
                    servers);
            patchPrefixWeight(http, router, 1);
            Phase prefixAware =
                    run(http, "prefix-aware (router)", users, warmup, seconds, i -> router, systemPrompts, servers);
            String believed = routerBelief(http, router);
            System.out.println(
                    "router's own view of its prefix-aware placements (analytics/prefix-affinity): " + believed);

            double ttftRatio = prefixAware.ttft.latency().meanMs()
                    / roundRobin.ttft.latency().meanMs();
            double throughputRatio = prefixAware.outputTokensPerSecond() / roundRobin.outputTokensPerSecond();
            double p95VsLeastLoaded = prefixAware.ttft.latency().p95Ms()
                    / leastLoaded.ttft.latency().p95Ms();
            BenchReport report = new BenchReport(
                    "prefix-routing",
                    "java -cp bench/target/classes:$(cat bench/target/classpath.txt) ai.sovereign.bench.router.PrefixRoutingBench "
                            + seconds + " " + users + " " + serverCount + " " + results + " " + warmup);
            for (Phase phase : List.of(roundRobin, leastLoaded, prefixAware)) {
                report.add(phase.ttft);
                String key = phase.ttft.name().replaceAll(" \\(.*", "");
                report.figure(key + " mean TTFT ms", phase.ttft.latency().meanMs())
                        .figure(key + " p95 TTFT ms", phase.ttft.latency().p95Ms())
                        .figure(key + " output tokens/s", phase.outputTokensPerSecond())
                        .figure(key + " prefix cache hit rate", phase.hitRate)
                        .figure(key + " system-prompt copies cached at the end (of 50 prompts)", phase.promptCopies)
                        .figure(key + " most system prompts cached on one server", phase.maxPromptsOnServer);
            }
            report.figure("prefix-aware / round-robin mean TTFT", ttftRatio)
                    .figure("prefix-aware / round-robin output tokens/s", throughputRatio)
                    .figure("prefix-aware / least-loaded p95 TTFT", p95VsLeastLoaded)
                    .note(String.format(
                            Locale.ROOT,
                            "Rows are time to first token (ms) per request; req/s counts finished requests. "
                                    + "%d servers, %d closed-loop users, %d shared system prompts of %d tokens, conversations of 3-6 turns, "
                                    + "%d output tokens per answer. Each strategy starts from cold caches, runs %d s unmeasured (warm-up, "
                                    + "the same for all three), then %d s measured: TTFT of requests sent in the window, output tokens of "
                                    + "answers finished in it, cache hits of prompts admitted in it.",
                            serverCount,
                            users,
                            PROMPTS,
                            SYSTEM_TOKENS,
                            OUTPUT_TOKENS,
                            warmup,
                            seconds))
                    .note(String.format(
                            Locale.ROOT,
                            "Goals: mean TTFT ≤ 0.3× round-robin (got %.3f×); output tokens/s ≥ 1.5× "
                                    + "round-robin (got %.2f×); p95 TTFT no worse than least-loaded (got %.3f×).",
                            ttftRatio,
                            throughputRatio,
                            p95VsLeastLoaded))
                    .note(
                            "Simulated GPU per server (PrefixCacheSettings.a10g8b): 8B model in fp16 on a 24 GB A10G-class card, "
                                    + "2,900 KV blocks of 16 tokens (~46k tokens), prefill 200 µs per uncached token (~5,000 tokens/s) "
                                    + "with one prefill at a time, 20 ms base time to first token, 30 ms per output token.")
                    .note("Cache hit rate = prompt tokens served from the servers' prefix caches / prompt tokens, "
                            + "from the simulators' vllm:gpu_prefix_cache_* counters.")
                    .note(
                            "System-prompt copies: at the end of a strategy, per server, the system prompts of which at least 90 % of "
                                    + "the blocks are in its cache, summed over servers (50 = each prompt on one server; the caches hold "
                                    + "~23 prompts each, so copies far above 50 mean prompts evict each other).")
                    .note("Router's view after prefix-aware: " + believed)
                    .note(
                            "Round-robin is client-side (no proxy hop), which favours it by the cost of a hop; least-loaded and "
                                    + "prefix-aware go through the router process. Everything shares one machine.");
            Path written = report.write(results);
            System.out.println("wrote " + written);
            System.out.println(Files.readString(written));
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor();
            }
            servers.forEach(LlmSimulator::close);
        }
    }

    /** One strategy's outcome: TTFT per request, output tokens, and the servers' cache hit rate. */
    record Phase(
            LoadResult ttft,
            long outputTokens,
            double seconds,
            double hitRate,
            int promptCopies,
            int maxPromptsOnServer) {
        double outputTokensPerSecond() {
            return outputTokens / seconds;
        }
    }

    /**
     * Runs {@code users} closed-loop users for {@code warmup} + {@code seconds} from cold caches and measures the
     * last {@code seconds}: the TTFT of requests sent in that window, the output tokens of answers finished in it,
     * the cache hits of prompts admitted in it.
     */
    private static Phase run(
            HttpClient http,
            String name,
            int users,
            int warmup,
            int seconds,
            IntFunction<String> base,
            String[] systemPrompts,
            List<LlmSimulator> servers)
            throws InterruptedException {
        servers.forEach(s -> s.kvCache().cache().clear());
        LatencyRecorder ttft = new LatencyRecorder();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong tokens = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + Duration.ofSeconds(warmup).toNanos();
        long deadline = measureFrom + Duration.ofSeconds(seconds).toNanos();
        long[] atMeasureStart;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int u = 0; u < users; u++) {
                int user = u;
                pool.execute(() -> {
                    SplittableRandom random = new SplittableRandom(1000L + user);
                    int conversationNumber = 0;
                    while (System.nanoTime() < deadline) {
                        String system = systemPrompts[random.nextInt(systemPrompts.length)];
                        StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"")
                                .append(system)
                                .append("\"}");
                        int turns = 3 + random.nextInt(4);
                        conversationNumber++;
                        for (int turn = 0; turn < turns && System.nanoTime() < deadline; turn++) {
                            messages.append(",{\"role\":\"user\",\"content\":\"User ")
                                    .append(user)
                                    .append(" conversation ")
                                    .append(conversationNumber)
                                    .append(" turn ")
                                    .append(turn)
                                    .append(": ")
                                    .append(words(random, 45))
                                    .append("\"}");
                            long sent = System.nanoTime();
                            long[] result = streamOnce(http, base.apply(user), messages.toString());
                            long finished = System.nanoTime();
                            boolean measured = sent >= measureFrom;
                            if (measured) {
                                requests.incrementAndGet();
                            }
                            if (result == null) {
                                if (measured) {
                                    failures.incrementAndGet();
                                }
                                break;
                            }
                            if (measured) {
                                ttft.recordNanos(result[0]);
                            }
                            if (finished >= measureFrom && finished < deadline) {
                                tokens.addAndGet(result[1]);
                            }
                            messages.append(",{\"role\":\"assistant\",\"content\":\"")
                                    .append(words(random, (int) result[1]))
                                    .append("\"}");
                        }
                    }
                });
            }
            long wait = measureFrom - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the benchmark's own clock: the warm-up ends
            }
            atMeasureStart = cacheCounters(servers);
        }
        long[] atEnd = cacheCounters(servers);
        long queried = atEnd[0] - atMeasureStart[0];
        long hit = atEnd[1] - atMeasureStart[1];
        int[] held = promptsHeld(servers, systemPrompts);
        int copies = 0;
        int most = 0;
        for (int h : held) {
            copies += h;
            most = Math.max(most, h);
        }
        LoadResult result = new LoadResult(name, requests.get(), failures.get(), seconds, ttft.summary());
        Phase phase = new Phase(result, tokens.get(), seconds, queried == 0 ? 0 : (double) hit / queried, copies, most);
        System.out.printf(
                Locale.ROOT,
                "%s: %d requests (%d failed) sent in the %d s window after %d s warm-up, TTFT mean %.1f ms "
                        + "p95 %.1f ms, %.0f output tokens/s, hit rate %.3f; system prompts cached per server at the end %s "
                        + "(%d copies of %d prompts); cache blocks used %s%n",
                name,
                requests.get(),
                failures.get(),
                seconds,
                warmup,
                result.latency().meanMs(),
                result.latency().p95Ms(),
                phase.outputTokensPerSecond(),
                phase.hitRate(),
                java.util.Arrays.toString(held),
                copies,
                systemPrompts.length,
                servers.stream().map(s -> s.kvCache().cache().usedBlocks()).toList());
        return phase;
    }

    private static long[] cacheCounters(List<LlmSimulator> servers) {
        long queried = servers.stream()
                .map(s -> s.kvCache().cache())
                .mapToLong(PrefixCache::queriedTokens)
                .sum();
        long hit = servers.stream()
                .map(s -> s.kvCache().cache())
                .mapToLong(PrefixCache::hitTokens)
                .sum();
        return new long[] {queried, hit};
    }

    /**
     * Per server, how many of the system prompts it holds (at least 90 % of their leading blocks cached), hashed as the
     * simulator hashes a chat's system message. The simulator's cache offers no read-only lookup, so the benchmark
     * reads its block set by reflection (a diagnostic only; nothing is changed, the LRU order is not touched).
     */
    private static int[] promptsHeld(List<LlmSimulator> servers, String[] systemPrompts) {
        int[] held = new int[servers.size()];
        if (systemPrompts.length < 2) {
            return held;
        }
        try {
            java.lang.reflect.Field field = PrefixCache.class.getDeclaredField("blocks");
            field.setAccessible(true);
            for (int i = 0; i < servers.size(); i++) {
                PrefixCache cache = servers.get(i).kvCache().cache();
                synchronized (cache) {
                    java.util.Map<?, ?> blocks = (java.util.Map<?, ?>) field.get(cache);
                    for (String prompt : systemPrompts) {
                        long[] hashes =
                                BlockHashes.of("system: " + prompt + "\n", gpuBlockTokens(servers.get(i)), 1 << 16);
                        int n = 0;
                        while (n < hashes.length && blocks.containsKey(hashes[n])) {
                            n++;
                        }
                        if (n >= 0.9 * hashes.length) {
                            held[i]++;
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("could not read the simulators' caches: " + e);
        }
        return held;
    }

    private static int gpuBlockTokens(LlmSimulator server) {
        return server.kvCache().settings().blockTokens();
    }

    /** The router's per-server analytics of its prefix placements, summarised: requests, hits, home placements. */
    private static String routerBelief(HttpClient http, String router) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(router + "/api/orchestrator/analytics/prefix-affinity"))
                        .header("X-Sovereign-Token", adminToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return "analytics answered " + response.statusCode();
        }
        Matcher m = Pattern.compile(
                        "\"requests\":(\\d+),\"prefixHits\":(\\d+),\"sessionHits\":\\d+,\"homePlacements\":(\\d+),"
                                + "\"prefixHitRate\":[^,]+,\"blockHitRate\":([0-9.eE-]+)")
                .matcher(response.body());
        long requests = 0;
        long hits = 0;
        long home = 0;
        double matchedBlocks = 0;
        StringBuilder perServer = new StringBuilder();
        while (m.find()) {
            long r = Long.parseLong(m.group(1));
            requests += r;
            hits += Long.parseLong(m.group(2));
            home += Long.parseLong(m.group(3));
            matchedBlocks += r * Double.parseDouble(m.group(4));
            perServer.append(perServer.isEmpty() ? "" : " ").append(r);
        }
        return String.format(
                Locale.ROOT,
                "%d placements (per server %s), %.3f on a server it believed held part of the prefix, "
                        + "%.3f on the prefix's home, request-mean believed block hit rate %.3f (warm-up included)",
                requests,
                perServer,
                requests == 0 ? 0 : (double) hits / requests,
                requests == 0 ? 0 : (double) home / requests,
                requests == 0 ? 0 : matchedBlocks / requests);
    }

    /** Streams one chat; returns {nanos to the first data line, completion tokens}, or null when it failed. */
    private static long[] streamOnce(HttpClient http, String base, String messages) {
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[" + messages + "]}";
        long sent = System.nanoTime();
        try {
            HttpResponse<java.io.InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                            .header("X-Sovereign-Token", adminToken)
                            .timeout(Duration.ofMinutes(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    return null;
                }
                long first = -1;
                long tokens = 0;
                boolean done = false;
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    if (first < 0) {
                        first = System.nanoTime() - sent;
                    }
                    if (line.contains("[DONE]")) {
                        done = true;
                    } else if (line.contains("completion_tokens")) {
                        Matcher m = COMPLETION_TOKENS.matcher(line);
                        if (m.find()) {
                            tokens = Long.parseLong(m.group(1));
                        }
                    } else if (line.contains("\"error\"")) {
                        return null;
                    }
                }
                return done && first >= 0 ? new long[] {first, tokens} : null;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String words(SplittableRandom random, int count) {
        StringBuilder text = new StringBuilder(count * 5);
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static void patchPrefixWeight(HttpClient http, String router, double weight) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(router + "/api/orchestrator/config/balancing"))
                        .header("Content-Type", "application/json")
                        .header("X-Sovereign-Token", adminToken)
                        .method(
                                "PATCH",
                                HttpRequest.BodyPublishers.ofString("{\"weights\":{\"prefix\":" + weight + "}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "PATCH config/balancing answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static void awaitFleet(HttpClient http, String router, int servers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create(router + "/v1/models"))
                                        .header("X-Sovereign-Token", adminToken)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (body.contains("gpu-" + (servers - 1))) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250); // polling a child process that has no readiness signal
        }
        throw new IllegalStateException(
                "the router did not list every server within 90 s; see bench/target/router-bench-router.log");
    }
}
