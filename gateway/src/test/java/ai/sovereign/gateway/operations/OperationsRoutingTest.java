package ai.sovereign.gateway.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.security.ServiceKeys;
import ai.sovereign.runtime.security.ServiceTokenVerifier;
import ai.sovereign.testkit.FreePorts;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Operations APIs through the gateway: a JDK HttpServer stands in for router, ingestion, audit and backup, verifies
 * the service token the gateway signs with its own key as that service would (audience the service's name, the
 * platform's public keys), and echoes what it saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsRoutingTest {

    /** What the stand-in received: service, method, path+query, body, verified caller, and the Authorization header. */
    record Seen(
            String service,
            String method,
            String uri,
            String body,
            Caller caller,
            String authorization,
            com.sun.net.httpserver.Headers headers) {}

    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private HttpServer upstream;
    private GatewayFixture gateway;
    private Key user;
    private Key admin;
    private Key auditor;

    @BeforeAll
    void start() throws IOException {
        PlatformKeys keys = PlatformKeys.loadOrGenerate(Files.createTempDirectory("platform-keys"));
        SecuritySettings trusting =
                new SecuritySettings(false, null, keys.trustedKeys().toString(), null, null, List.of("/api"), null);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String service : List.of("router", "ingestion", "audit", "backup")) {
            String audience = service.equals("audit") || service.equals("backup") ? service + "-service" : service;
            ServiceTokenVerifier verifier = new ServiceTokenVerifier(
                    audience,
                    ServiceKeys.trustedKeys(trusting),
                    Map.of("gateway", Set.of(Role.USER, Role.ADMIN, Role.AUDITOR)),
                    false,
                    Clock.systemUTC());
            upstream.createContext("/" + service, exchange -> answer(exchange, service, verifier));
        }
        upstream.start();
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        // each service gets its own base path on the stand-in, so the test can tell them apart
        Map<String, Object> properties = new HashMap<>(keys.properties("gateway"));
        properties.put("gateway.upstreams.router", base + "/router");
        properties.put("gateway.upstreams.ingestion", base + "/ingestion");
        properties.put("gateway.upstreams.audit", base + "/audit");
        properties.put("gateway.upstreams.backup", base + "/backup");
        gateway = GatewayFixture.start(properties);
        user = gateway.createKey("{\"name\":\"u\",\"tenant\":\"acme\",\"role\":\"user\"}");
        admin = gateway.createKey("{\"name\":\"ad\",\"tenant\":\"ops\",\"role\":\"admin\"}");
        auditor = gateway.createKey("{\"name\":\"au\",\"tenant\":\"acme\",\"role\":\"auditor\"}");
    }

    private void answer(HttpExchange exchange, String service, ServiceTokenVerifier verifier) throws IOException {
        String token = exchange.getRequestHeaders().getFirst("X-Sovereign-Token");
        byte[] response;
        int status;
        try {
            Caller caller = verifier.verify(token);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(
                    service,
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    body,
                    caller,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders()));
            response = ("{\"service\":\"" + service + "\",\"subject\":\"" + caller.subject() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            // a started backup run answers 202 Accepted with the run, as the backup service does
            status = !exchange.getRequestMethod().equals("POST")
                    ? 200
                    : exchange.getRequestURI().getPath().endsWith("/api/v1/backups") ? 202 : 201;
        } catch (RuntimeException e) {
            response = "{\"error\":{\"message\":\"bad token\"}}".getBytes(StandardCharsets.UTF_8);
            status = 401;
        }
        String contentType = "application/json";
        if (status == 200 && exchange.getRequestURI().getPath().endsWith("/api/v1/audit/export")) {
            contentType = "application/x-ndjson";
            response = "{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, response.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response);
        }
    }

    @AfterAll
    void stop() {
        gateway.close();
        upstream.stop(0);
    }

    private Seen last() {
        Seen[] all = seen.toArray(Seen[]::new);
        return all[all.length - 1];
    }

    @Test
    void userReachesIngestionWithAVerifiedTokenAndNoApiKey() {
        Reply reply = gateway.send("POST", "/api/v1/search?limit=5", user.secret(), "{\"query\":\"gpu\"}");
        assertEquals(201, reply.status(), reply.body());
        Seen request = last();
        assertEquals("ingestion", request.service());
        assertEquals("/ingestion/api/v1/search?limit=5", request.uri());
        assertEquals("{\"query\":\"gpu\"}", request.body());
        assertEquals(user.id(), request.caller().subject());
        assertEquals("acme", request.caller().tenant());
        assertEquals(Role.USER, request.caller().role());
        assertNull(request.authorization(), "the API key never leaves the gateway");

        assertEquals(
                200,
                gateway.send("GET", "/api/v1/sources/abc", user.secret(), null).status());
        assertEquals("/ingestion/api/v1/sources/abc", last().uri());
    }

    @Test
    void aRagChatIsHeldToTheKeysModelsBeforeRetrievalStartsAndIngestionSeesWhatTheGatewayChecked() {
        Key llamaOnly = gateway.createKey(
                "{\"name\":\"llama-only\",\"tenant\":\"acme\",\"role\":\"user\",\"allowed_models\":[\"llama3*\"]}");
        int before = seen.size();
        Reply other = gateway.send(
                "POST", "/api/v1/chat", llamaOnly.secret(), "{\"question\":\"q\",\"model\":\"mistral:7b\"}");
        assertEquals(403, other.status(), other.body());
        assertEquals("model", other.json().get("error").get("param").stringValue());
        Reply unnamed = gateway.send("POST", "/api/v1/chat", llamaOnly.secret(), "{\"question\":\"q\"}");
        assertEquals(400, unnamed.status(), unnamed.body());
        assertEquals("model", unnamed.json().get("error").get("param").stringValue());
        // two "model" members: the gateway checks the one a JSON reader keeps, and forwards only that one
        Reply twice = gateway.send(
                "POST",
                "/api/v1/chat",
                llamaOnly.secret(),
                "{\"question\":\"q\",\"model\":\"llama3.1:8b\",\"model\":\"mistral:7b\"}");
        assertEquals(403, twice.status(), twice.body());
        assertEquals(before, seen.size(), "nothing refused reached ingestion");

        Reply allowed = gateway.send(
                "POST", "/api/v1/chat", llamaOnly.secret(), "{\"question\":\"q\",\"model\":\"llama3.1:8b\"}");
        assertEquals(201, allowed.status(), allowed.body());
        assertEquals("{\"question\":\"q\",\"model\":\"llama3.1:8b\"}", last().body());
        Reply notJson = gateway.send("POST", "/api/v1/chat", llamaOnly.secret(), "model=mistral");
        assertEquals(400, notJson.status(), notJson.body());
    }

    @Test
    void chatSearchAndUploadsCountAgainstTheKeysRequestsPerMinute() {
        GatewayFixture.awaitMinuteWithSecondsLeft(10);
        Key limited = gateway.createKey("{\"name\":\"rpm2\",\"tenant\":\"acme\",\"role\":\"user\",\"rpm\":2}");
        assertEquals(
                201,
                gateway.send("POST", "/api/v1/search", limited.secret(), "{\"query\":\"a\"}")
                        .status());
        assertEquals(
                201,
                gateway.send("POST", "/api/v1/chat", limited.secret(), "{\"question\":\"b\"}")
                        .status());
        Reply third = gateway.send("POST", "/api/v1/sources", limited.secret(), "{}");
        assertEquals(429, third.status(), third.body());
        assertTrue(third.header("Retry-After") != null, "429 says when to retry");
        // the operations routes of other services keep their own rules
        assertEquals(
                200,
                gateway.send("GET", "/api/v1/audit/events", auditor.secret(), null)
                        .status());
    }

    @Test
    void auditorQueriesAuditButNotBackupsOrAdmin() {
        Reply events = gateway.send("GET", "/api/v1/audit/events?tenant=acme", auditor.secret(), null);
        assertEquals(200, events.status(), events.body());
        assertEquals("audit", last().service());
        assertEquals(Role.AUDITOR, last().caller().role());

        assertEquals(
                403,
                gateway.send("GET", "/api/v1/backups", auditor.secret(), null).status());
        assertEquals(
                403, gateway.send("GET", "/admin/keys", auditor.secret(), null).status());
        assertEquals(
                403,
                gateway.send("GET", "/api/v1/search", auditor.secret(), null).status());
    }

    @Test
    void userIsRefusedOnAdminAndAuditRoutes() {
        for (String path : List.of("/api/v1/backups", "/api/v1/audit/events", "/api/orchestrator/servers")) {
            Reply refused = gateway.send("GET", path, user.secret(), null);
            assertEquals(403, refused.status(), path);
            assertEquals(
                    "permission_error", refused.json().get("error").get("type").stringValue());
        }
    }

    @Test
    void jsonAnswersArriveAsSentAcceptedOrNotAndExportsStreamUnchanged() {
        Reply started = gateway.send("POST", "/api/v1/backups", admin.secret(), "{\"components\":[\"postgres\"]}");
        assertEquals(202, started.status(), started.body());
        assertEquals("{\"service\":\"backup\",\"subject\":\"" + last().caller().subject() + "\"}", started.body());
        Reply listed = gateway.send("GET", "/api/v1/backups", admin.secret(), null);
        assertEquals("{\"service\":\"backup\",\"subject\":\"" + last().caller().subject() + "\"}", listed.body());
        Reply export = gateway.send("GET", "/api/v1/audit/export?format=jsonl", auditor.secret(), null);
        assertEquals("{\"n\":1}\n{\"n\":2}\n", export.body(), "NDJSON streams through unchanged");
    }

    @Test
    void adminReachesBackupsAndAuditWithItsOwnRole() {
        Reply backup = gateway.send("POST", "/api/v1/backups/b-1/verify", admin.secret(), "{}");
        assertEquals(201, backup.status(), backup.body());
        assertEquals("backup", last().service());
        assertEquals("/backup/api/v1/backups/b-1/verify", last().uri());
        assertEquals(Role.ADMIN, last().caller().role());
        assertEquals("ops", last().caller().tenant());
        assertEquals(
                200,
                gateway.send("DELETE", "/api/v1/backups/b-1", admin.secret(), null)
                        .status());
        assertEquals("DELETE", last().method());
    }

    @Test
    void inferenceCarriesTheHeadersTheRouterReads() {
        Reply reply = gateway.send(
                "POST",
                "/v1/chat/completions",
                user.secret(),
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8),
                Map.of("X-Priority", "high", "X-Request-Id", "req-42"));
        assertEquals(201, reply.status(), reply.body());
        Seen request = last();
        assertEquals("router", request.service());
        assertEquals("/router/v1/chat/completions", request.uri());
        assertEquals(user.id(), request.caller().subject());
        assertEquals("acme", request.caller().tenant());
        // the token is the only place the router takes the caller from: no headers that could be forged beside it
        assertNull(request.headers().getFirst("X-Sovereign-Key-Id"));
        assertNull(request.headers().getFirst("X-Sovereign-Tenant"));
        assertEquals("req-42", request.headers().getFirst("X-Request-Id"));
        // asked high, sent at the user key's cap (PriorityCapTest)
        assertEquals("0", request.headers().getFirst("X-Priority"));
        assertNull(request.authorization());
        assertEquals("req-42", reply.header("X-Request-Id"));
    }

    @Test
    void unreachableServiceIs502AndUnknownPathsAre404() {
        try (GatewayFixture isolated =
                GatewayFixture.start(Map.of("gateway.upstreams.router", "http://127.0.0.1:" + FreePorts.next()))) {
            Reply down = isolated.send("GET", "/api/orchestrator/servers", GatewayFixture.ADMIN_KEY, null);
            assertEquals(502, down.status(), down.body());
            assertEquals(
                    "upstream_unreachable", down.json().get("error").get("code").stringValue());
        }
        Reply unknown = gateway.send("GET", "/api/v1/nothing-here", admin.secret(), null);
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("error").has("message"));
        Reply unauthenticated = gateway.send("GET", "/api/v1/search", null, null);
        assertEquals(401, unauthenticated.status());
    }

    @Test
    void aRouterWhoseEveryAllowedConnectionIsBusyIs503NamingIt() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slow.createContext("/", exchange -> {
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body =
                    "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        String router = "127.0.0.1:" + slow.getAddress().getPort();
        byte[] chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        try (GatewayFixture isolated = GatewayFixture.start(Map.of(
                "gateway.upstreams.router", "http://" + router, "gateway.upstreams.max-connections-per-host", "1"))) {
            CompletableFuture<Reply> holding = CompletableFuture.supplyAsync(
                    () -> isolated.send("POST", "/v1/chat/completions", GatewayFixture.ADMIN_KEY, chat, Map.of()));
            assertTrue(arrived.await(10, TimeUnit.SECONDS), "the first request reached the router");

            Reply busy = isolated.send("POST", "/v1/chat/completions", GatewayFixture.ADMIN_KEY, chat, Map.of());
            assertEquals(503, busy.status(), busy.body());
            assertEquals(
                    "upstream_connection_limit",
                    busy.json().get("error").get("code").stringValue());
            String message = busy.json().get("error").get("message").stringValue();
            assertTrue(message.startsWith("router is busy") && message.contains(router), message);

            release.countDown();
            assertEquals(200, holding.get(10, TimeUnit.SECONDS).status());
        } finally {
            release.countDown();
            slow.stop(0);
        }
    }
}
