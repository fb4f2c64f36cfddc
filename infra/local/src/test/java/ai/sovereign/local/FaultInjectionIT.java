package ai.sovereign.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.KafkaBroker;
import ai.sovereign.testkit.KafkaCredentials;
import ai.sovereign.testkit.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The platform's services as separate processes — two gateways, two routers and the audit-service, each
 * {@code java -jar <service>.jar} — on a Kafka broker and a PostgreSQL of this test's own, with three simulated
 * inference servers, under load while things break: Kafka stopped for three minutes (and a router killed meanwhile),
 * PostgreSQL stopped for 30 s, the audit-service killed, an inference server killed, a router killed. Each test starts
 * from every process running and leaves them so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {

    private static final String ADMIN_KEY = "sk-fault-suite-bootstrap-admin-0123456789";
    private static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();
    private static final Duration UP_WITHIN = Duration.ofSeconds(180);
    private static final String CHAT =
            "{\"model\":\"llama3.1:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Say something short\"}]}";
    private static final String STREAM = "{\"model\":\"llama3.1:8b\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say something short\"}]}";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<LlmSimulator> inference = new ArrayList<>();
    private final int[] inferencePorts = new int[3];
    private Path dir;
    private KafkaCredentials kafkaCredentials;
    private int kafkaPort;
    private KafkaBroker kafka;
    private int postgresPort;
    private PostgresServer postgres;
    private PlatformKeys keys;
    private ServiceProcess audit;
    private ServiceProcess routerA;
    private ServiceProcess routerB;
    private ServiceProcess gatewayA;
    private ServiceProcess gatewayB;

    @BeforeAll
    void startPlatform() throws Exception {
        dir = Files.createTempDirectory("fault-suite");
        kafkaCredentials = KafkaCredentials.generate();
        DatabaseCredentials database = DatabaseCredentials.generate();
        kafkaPort = FreePorts.next();
        postgresPort = FreePorts.next();
        postgres = PostgresServer.start(dir.resolve("postgres"), postgresPort);
        postgres.createRoles(database);
        String jdbcUrl = postgres.ensureServiceDatabase(LocalSettings.DATABASE);
        kafka = startKafka();
        keys = PlatformKeys.loadOrGenerate(dir.resolve("keys"));
        for (int i = 0; i < 3; i++) {
            inferencePorts[i] = FreePorts.next();
            inference.add(startInference(i));
        }

        int auditPort = FreePorts.next();
        int routerAPort = FreePorts.next();
        int routerBPort = FreePorts.next();
        Map<String, Object> auditProps = common("audit-service", "audit-service", auditPort, database, jdbcUrl);
        auditProps.put("audit.signing.generate-if-missing", true);
        audit = ServiceProcess.start("audit-service", jar("audit-service"), dir, auditPort, auditProps);
        routerA = ServiceProcess.start(
                "router-a",
                jar("router"),
                dir,
                routerAPort,
                routerProperties("router-a", routerAPort, database, jdbcUrl));
        routerB = ServiceProcess.start(
                "router-b",
                jar("router"),
                dir,
                routerBPort,
                routerProperties("router-b", routerBPort, database, jdbcUrl));
        for (ServiceProcess service : List.of(audit, routerA, routerB)) {
            service.awaitUp(UP_WITHIN);
        }
        String routers = routerA.url() + "," + routerB.url();
        int gatewayAPort = FreePorts.next();
        int gatewayBPort = FreePorts.next();
        gatewayA = ServiceProcess.start(
                "gateway-a",
                jar("gateway"),
                dir,
                gatewayAPort,
                gatewayProperties("gateway-a", gatewayAPort, routers, database, jdbcUrl));
        gatewayA.awaitUp(UP_WITHIN);
        gatewayB = ServiceProcess.start(
                "gateway-b",
                jar("gateway"),
                dir,
                gatewayBPort,
                gatewayProperties("gateway-b", gatewayBPort, routers, database, jdbcUrl));
        gatewayB.awaitUp(UP_WITHIN);
    }

    @AfterAll
    void stopPlatform() {
        for (ServiceProcess service : new ServiceProcess[] {gatewayB, gatewayA, routerB, routerA, audit}) {
            if (service != null) {
                service.close();
            }
        }
        inference.forEach(s -> {
            if (s != null) {
                s.close();
            }
        });
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Every process runs, Kafka and PostgreSQL are up, every inference server answers. */
    @BeforeEach
    void everythingRuns() {
        if (kafka == null) {
            kafka = startKafka();
        }
        if (postgres == null) {
            postgres = PostgresServer.start(dir.resolve("postgres"), postgresPort);
        }
        for (int i = 0; i < 3; i++) {
            if (inference.get(i) == null) {
                inference.set(i, startInference(i));
            }
        }
        for (ServiceProcess service : List.of(audit, routerA, routerB, gatewayA, gatewayB)) {
            if (!service.alive()) {
                service.restart();
            }
            service.awaitUp(UP_WITHIN);
        }
    }

    @Test
    void kafkaStoppedForThreeMinutesUnderLoadLosesNothingEvenWhenARouterIsKilledMeanwhile() throws Exception {
        Key key = createKey("kafka-outage", "");
        List<String> createdDuringOutage = new ArrayList<>();
        try (Load load = new Load(key, 10, true)) {
            load.runFor(Duration.ofSeconds(5));
            kafka.close();
            kafka = null;
            long outageStarted = System.nanoTime();
            while (System.nanoTime() - outageStarted < Duration.ofMinutes(3).toNanos()) {
                load.runFor(Duration.ofSeconds(15));
                // admin actions are audited: their events wait in the gateway's outbox too
                createdDuringOutage.add(id(createKeyJson("during-outage-" + createdDuringOutage.size(), "")));
                if (createdDuringOutage.size() == 5) {
                    // the router's buffered events must survive a SIGKILL
                    load.drain();
                    routerB.kill();
                    routerB.restart();
                    routerB.awaitUp(UP_WITHIN);
                }
            }
            kafka = startKafka();
            load.runFor(Duration.ofSeconds(5));
            load.drain();
            load.assertNoFailures();
            awaitUsageRows(key, load.succeeded(), Duration.ofMinutes(4));
            awaitAuditRows("key.create", createdDuringOutage, Duration.ofMinutes(2));
        }
    }

    @Test
    void postgresStoppedForThirtySecondsKeepsInferenceOnCachedKeysAndRefusesKeyCreationClearly() throws Exception {
        Key key = createKey("postgres-outage", "");
        try (Load load = new Load(key, 10, true)) {
            load.runFor(Duration.ofSeconds(5));
            postgres.close();
            postgres = null;
            long stopped = System.nanoTime();
            load.runFor(Duration.ofSeconds(5));
            HttpResponse<String> create =
                    send(gatewayA, "POST", "/admin/keys", ADMIN_KEY, "{\"name\":\"while-down\",\"tenant\":\"acme\"}");
            assertEquals(503, create.statusCode(), create.body());
            assertTrue(create.body().contains("\"error\""), "an OpenAI-style error body: " + create.body());
            load.runFor(Duration.ofNanos(Duration.ofSeconds(30).toNanos() - (System.nanoTime() - stopped)));
            postgres = PostgresServer.start(dir.resolve("postgres"), postgresPort);
            load.runFor(Duration.ofSeconds(5));
            load.drain();
            load.assertNoFailures();
            awaitUsageRows(key, load.succeeded(), Duration.ofMinutes(3));
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        send(gatewayB, "POST", "/admin/keys", ADMIN_KEY, "{\"name\":\"after\",\"tenant\":\"acme\"}")
                                        .statusCode()
                                == 201);
    }

    @Test
    void theAuditServiceKilledMidBatchAndRestartedKeepsExactCountsAndItsChainVerifies() throws Exception {
        Key key = createKey("audit-kill", "");
        List<String> created = new ArrayList<>();
        try (Load load = new Load(key, 20, true)) {
            load.runFor(Duration.ofSeconds(5));
            for (int i = 0; i < 10; i++) {
                created.add(id(createKeyJson("audit-kill-" + i, "")));
            }
            audit.kill();
            load.runFor(Duration.ofSeconds(5));
            audit.restart();
            audit.awaitUp(UP_WITHIN);
            load.runFor(Duration.ofSeconds(5));
            load.drain();
            load.assertNoFailures();
            awaitUsageRows(key, load.succeeded(), Duration.ofMinutes(2));
            awaitAuditRows("key.create", created, Duration.ofMinutes(2));
        }
        HttpResponse<String> verify = send(gatewayA, "GET", "/api/v1/audit/verify", ADMIN_KEY, null);
        assertEquals(200, verify.statusCode(), verify.body());
        assertTrue(verify.body().contains("\"status\":\"OK\""), verify.body());
    }

    /**
     * A server that refuses connections is taken out of routing at once (marked unreachable by the first call that
     * cannot connect, and by the health check), before its breaker's window could fill; its breaker is closed again
     * and it serves once it is back.
     */
    @Test
    void anInferenceServerKilledUnderLoadFailsNoRequestAndIsUsedAgainWhenItReturns() throws Exception {
        Key key = createKey("server-kill", "");
        try (Load load = new Load(key, 20, false)) {
            load.runFor(Duration.ofSeconds(3));
            inference.get(0).close();
            inference.set(0, null);
            load.runFor(Duration.ofSeconds(10));
            for (ServiceProcess router : List.of(routerA, routerB)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !available(router, "inference-1"));
            }
            inference.set(0, startInference(0));
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        load.runFor(Duration.ofSeconds(1));
                        return available(routerA, "inference-1")
                                && available(routerB, "inference-1")
                                && breakerOf("inference-1").equalsIgnoreCase("closed");
                    });
            load.runFor(Duration.ofSeconds(3));
            load.drain();
            load.assertNoFailures();
        }
    }

    @Test
    void aRouterKilledUnderLoadFailsNoRequestAndDrainOnOneRouterIsObeyedByTheOther() throws Exception {
        Key key = createKey("router-kill", "");
        try (Load load = new Load(key, 20, false)) {
            load.runFor(Duration.ofSeconds(3));
            routerA.kill();
            load.runFor(Duration.ofSeconds(10));
            routerA.restart();
            routerA.awaitUp(UP_WITHIN);
            load.runFor(Duration.ofSeconds(3));
            load.drain();
            load.assertNoFailures();
        }
        HttpResponse<String> drain = router(routerA, "POST", "/api/orchestrator/servers/inference-2/drain");
        assertEquals(200, drain.statusCode(), drain.body());
        long drained = System.nanoTime();
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> draining(routerB, "inference-2"));
        System.out.printf(
                "drain on router A seen by router B after %d ms%n", (System.nanoTime() - drained) / 1_000_000);
        assertEquals(
                200,
                router(routerB, "POST", "/api/orchestrator/servers/inference-2/undrain")
                        .statusCode());
        await().atMost(Duration.ofSeconds(2)).until(() -> !draining(routerA, "inference-2"));
    }

    @Test
    void aKeyWithRpm60GetsAtMost63RequestsAMinuteThroughBothGateways() throws Exception {
        Key key = createKey("rpm-60", ",\"rpm\":60");
        try (Load load = new Load(key, 8, false)) {
            load.runFor(Duration.ofSeconds(65));
            load.drain();
            Map<Long, Integer> admitted = load.successesPerMinute();
            Map<Long, Integer> attempted = load.attemptsPerMinute();
            System.out.println(
                    "rpm 60 through two gateways, admitted per UTC minute: " + admitted + " of " + attempted);
            assertTrue(load.rateLimited() > 0, "the load is well above 60 a minute");
            for (Map.Entry<Long, Integer> minute : admitted.entrySet()) {
                assertTrue(minute.getValue() <= 63, "minute " + minute.getKey() + ": " + admitted);
                if (attempted.getOrDefault(minute.getKey(), 0) >= 80) {
                    assertTrue(minute.getValue() >= 57, "a busy minute gets its 60: " + admitted);
                }
            }
            assertEquals(load.sent(), load.succeeded() + load.rateLimited(), "nothing but 200 and 429");
        }
    }

    // --- the platform ---

    private KafkaBroker startKafka() {
        return KafkaBroker.start(dir.resolve("kafka"), kafkaPort, kafkaCredentials, List.of());
    }

    private LlmSimulator startInference(int index) {
        return LlmSimulator.start(SimulatorConfig.defaults()
                .withHost("127.0.0.1")
                .withPort(inferencePorts[index])
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(16))
                .withModels("llama3.1:8b", "nomic-embed-text"));
    }

    private static Path jar(String service) {
        String module = service;
        return REPO.resolve(module).resolve("target").resolve(service + ".jar");
    }

    private Map<String, Object> common(
            String service, String instance, int port, DatabaseCredentials database, String jdbcUrl) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", port);
        props.put("micronaut.server.host", "127.0.0.1");
        props.putAll(kafka.serviceProperties(service));
        props.putAll(database.serviceProperties(DatabaseRoles.of(service), jdbcUrl));
        props.put("datasources.default.maximum-pool-size", 5);
        props.put("datasources.default.connection-timeout", 2000);
        props.putAll(keys.properties(service));
        props.put("sovereign.management.token", "fault-suite-management-token-0123456789");
        props.put("sovereign.data-dir", dir.resolve(instance).toString());
        props.put(
                "sovereign.outbox.directory",
                dir.resolve("outbox").resolve(instance).toString());
        props.put("endpoints.health.disk-space.path", dir.toString());
        return props;
    }

    private Map<String, Object> routerProperties(
            String instance, int port, DatabaseCredentials database, String jdbcUrl) {
        Map<String, Object> props = common("router", instance, port, database, jdbcUrl);
        List<Map<String, Object>> servers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            servers.add(Map.of(
                    "id",
                    "inference-" + (i + 1),
                    "url",
                    "http://127.0.0.1:" + inferencePorts[i],
                    "type",
                    "ollama",
                    "maxConcurrency",
                    16));
        }
        props.put("router.servers", servers);
        props.put(
                "router.config-directory",
                dir.resolve(instance).resolve("config").toString());
        props.put("router.heartbeat-interval", "500ms");
        return props;
    }

    private Map<String, Object> gatewayProperties(
            String instance, int port, String routers, DatabaseCredentials database, String jdbcUrl) {
        Map<String, Object> props = common("gateway", instance, port, database, jdbcUrl);
        props.put("gateway.upstreams.router", routers);
        props.put("gateway.upstreams.audit", audit.url());
        props.put("gateway.keys.secret", "fault-suite-gateway-key-hash-secret-0123456789abcdef");
        props.put("sovereign.bootstrap.admin-key", ADMIN_KEY);
        props.put(
                "gateway.bootstrap.key-file",
                dir.resolve(instance).resolve("bootstrap-admin.key").toString());
        props.put("gateway.heartbeat-interval", "500ms");
        return props;
    }

    // --- calls ---

    private HttpResponse<String> send(ServiceProcess gateway, String method, String path, String key, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A router's operator API called directly with a service token signed by the gateway's key, as the gateway does. */
    private HttpResponse<String> router(ServiceProcess router, String method, String path)
            throws IOException, InterruptedException {
        ServiceTokenSigner signer = keys.signer("gateway", List.of("router"), Clock.systemUTC());
        String token = signer.issue("router", "fault-suite", "operations", Role.ADMIN, Duration.ofMinutes(5));
        return http.send(
                HttpRequest.newBuilder(URI.create(router.url() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("X-Sovereign-Token", token)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean draining(ServiceProcess router, String server) throws IOException, InterruptedException {
        String body = router(router, "GET", "/api/orchestrator/servers").body();
        Matcher m = Pattern.compile("\"id\":\"" + Pattern.quote(server) + "\"[^}]*?\"draining\":(true|false)")
                .matcher(body);
        return m.find() && m.group(1).equals("true");
    }

    /** Whether {@code router} would send a chat request to {@code server} now. */
    private boolean available(ServiceProcess router, String server) throws IOException, InterruptedException {
        String body = router(router, "GET", "/api/orchestrator/models/status").body();
        Matcher m = Pattern.compile("\"available\":\\[([^\\]]*)\\]").matcher(body);
        return m.find() && m.group(1).contains("\"" + server + "\"");
    }

    /** The breaker state router A reports for {@code server} (for the chat model). */
    private String breakerOf(String server) throws IOException, InterruptedException {
        String body = router(routerA, "GET", "/api/orchestrator/models/status").body();
        Matcher m = Pattern.compile("\"" + Pattern.quote(server) + "\":\"([A-Za-z_]+)\"")
                .matcher(body);
        return m.find() ? m.group(1) : "unknown";
    }

    private String createKeyJson(String name, String extra) throws IOException, InterruptedException {
        HttpResponse<String> created = send(
                gatewayA,
                "POST",
                "/admin/keys",
                ADMIN_KEY,
                "{\"name\":\"" + name + "\",\"tenant\":\"acme\",\"role\":\"user\"" + extra + "}");
        assertEquals(201, created.statusCode(), created.body());
        return created.body();
    }

    /** A user key made through the admin API: its id and its secret. */
    private record Key(String id, String secret) {}

    private Key createKey(String name, String extra) throws IOException, InterruptedException {
        String body = createKeyJson(name, extra);
        Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        assertTrue(m.find(), body);
        return new Key(id(body), m.group(1));
    }

    private static String id(String json) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    // --- what the audit-service stored ---

    /** Waits until the usage ledger holds {@code expected} rows of the last key created, then checks none is twice. */
    private void awaitUsageRows(Key key, long expected, Duration within) throws Exception {
        String keyId = key.id();
        long[] counts = new long[2];
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            counts[0] = count("SELECT count(*) FROM audit.usage_records WHERE key_id = ?", keyId);
            return counts[0] >= expected;
        });
        counts[1] = count("SELECT count(DISTINCT request_id) FROM audit.usage_records WHERE key_id = ?", keyId);
        assertEquals(expected, counts[0], "one usage row per request served");
        assertEquals(expected, counts[1], "no request metered twice");
    }

    private void awaitAuditRows(String action, List<String> resourceIds, Duration within) throws Exception {
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long found = 0;
            for (String id : resourceIds) {
                found += count(
                        "SELECT count(*) FROM audit.events WHERE action = '" + action + "' AND resource_id = ?", id);
            }
            return found >= resourceIds.size();
        });
        for (String id : resourceIds) {
            assertEquals(
                    1,
                    count("SELECT count(*) FROM audit.events WHERE action = '" + action + "' AND resource_id = ?", id),
                    "exactly one " + action + " event for " + id);
        }
    }

    private long count(String sql, String parameter) throws SQLException {
        if (postgres == null) {
            return -1;
        }
        try (Connection c = postgres.connect(LocalSettings.DATABASE);
                PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Open-loop load through both gateways in turn with one key: {@code perSecond} requests a second, non-streamed
     * chat and (with {@code streams}) streamed chat every other request, while {@link #runFor} runs.
     */
    private final class Load implements AutoCloseable {
        private final Key key;
        private final long periodNanos;
        private final boolean streams;
        private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong succeeded = new AtomicLong();
        private final AtomicLong rateLimited = new AtomicLong();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final Map<Long, AtomicInteger> successes = new ConcurrentHashMap<>();
        private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

        Load(Key key, int perSecond, boolean streams) {
            this.key = key;
            this.periodNanos = 1_000_000_000L / perSecond;
            this.streams = streams;
        }

        /** Sends requests at the load's rate for {@code duration} (returns then; they may still be in flight). */
        void runFor(Duration duration) {
            long end = System.nanoTime() + Math.max(0, duration.toNanos());
            long next = System.nanoTime();
            while (next < end) {
                long seq = sent.getAndIncrement();
                workers.execute(() -> call(seq));
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        }

        private void call(long seq) {
            ServiceProcess gateway = seq % 2 == 0 ? gatewayA : gatewayB;
            boolean stream = streams && seq % 4 >= 2;
            long minute = System.currentTimeMillis() / 60_000;
            attempts.computeIfAbsent(minute, m -> new AtomicInteger()).incrementAndGet();
            try {
                HttpResponse<String> response =
                        send(gateway, "POST", "/v1/chat/completions", key.secret(), stream ? STREAM : CHAT);
                boolean whole = !stream || response.body().contains("data: [DONE]");
                if (response.statusCode() == 200 && whole) {
                    succeeded.incrementAndGet();
                    successes
                            .computeIfAbsent(System.currentTimeMillis() / 60_000, m -> new AtomicInteger())
                            .incrementAndGet();
                } else if (response.statusCode() == 429) {
                    rateLimited.incrementAndGet();
                } else {
                    failures.add(gateway.label() + " " + response.statusCode() + " " + response.body());
                }
            } catch (IOException | InterruptedException e) {
                failures.add(gateway.label() + " " + e);
            }
        }

        /** Waits until every request sent so far has its answer. */
        void drain() {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> succeeded.get() + rateLimited.get() + failures.size() >= sent.get());
        }

        void assertNoFailures() {
            assertTrue(
                    failures.isEmpty(),
                    failures.size() + " of " + sent.get() + " requests failed, first: "
                            + failures.subList(0, Math.min(5, failures.size())));
            assertEquals(sent.get(), succeeded.get(), "every request answered 200");
        }

        long sent() {
            return sent.get();
        }

        long succeeded() {
            return succeeded.get();
        }

        long rateLimited() {
            return rateLimited.get();
        }

        Map<Long, Integer> successesPerMinute() {
            Map<Long, Integer> out = new TreeMap<>();
            successes.forEach((m, n) -> out.put(m, n.get()));
            return out;
        }

        Map<Long, Integer> attemptsPerMinute() {
            Map<Long, Integer> out = new TreeMap<>();
            attempts.forEach((m, n) -> out.put(m, n.get()));
            return out;
        }

        @Override
        public void close() {
            workers.shutdown();
            try {
                workers.awaitTermination(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
