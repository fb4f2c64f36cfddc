package ai.sovereign.gateway.fastpath;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static ai.sovereign.gateway.support.GatewayFixture.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.limits.MonthlyUsage;
import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Netty fast path answers the common inference request exactly as the ordinary (Micronaut) path does, and hands
 * everything else to it: the first request of a key (not cached yet) takes the ordinary path, the next ones the fast
 * path, so each test compares the two on the same gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastPathTest {

    private GatewayFixture gateway;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private double count(String outcome) {
        return gateway.bean(MeterRegistry.class)
                .get("gateway.fast.path")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private static String chat(boolean stream, String extra) {
        return "{\"model\":\"" + CHAT_MODEL + "\",\"stream\":" + stream + ",\"seed\":7,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about sovereign clouds\"}]" + extra + "}";
    }

    private Key freshKey(String extra) {
        return gateway.createKey(
                "{\"name\":\"fast\",\"tenant\":\"acme\",\"allowed_models\":[\"llama*\",\"nomic-*\"]" + extra + "}");
    }

    private long usedThisMonth(Key key) {
        return gateway.bean(MonthlyUsage.class).used(UUID.fromString(key.id()), YearMonth.now(ZoneOffset.UTC));
    }

    private static java.util.Set<String> headerNames(Reply reply) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        reply.raw().headers().map().keySet().forEach(name -> names.add(name.toLowerCase(java.util.Locale.ROOT)));
        return names;
    }

    /** The answer without what differs per response (id, creation time). */
    private static JsonNode stable(String body) {
        ObjectNode node = (ObjectNode) JSON.readTree(body);
        node.remove("id");
        node.remove("created");
        return node;
    }

    @Test
    void nonStreamedChatGetsTheOrdinaryPathsAnswerAndCharge() {
        Key key = freshKey("");
        double served = count("served");
        double passed = count("passed");
        // a chunked body is the ordinary path's (the lane takes bodies of known length only)
        Reply ordinary = gateway.sendChunked("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        assertEquals(passed, count("passed"), "the lane did not even claim it");
        assertEquals(served, count("served"));
        long afterOrdinary = usedThisMonth(key);
        Reply fast = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        assertEquals(served + 1, count("served"), "the same request with a Content-Length takes the fast path");

        assertEquals(200, ordinary.status(), ordinary.body());
        assertEquals(ordinary.status(), fast.status());
        assertEquals(stable(ordinary.body()), stable(fast.body()));
        assertEquals(ordinary.header("Content-Type"), fast.header("Content-Type"));
        assertEquals(headerNames(ordinary), headerNames(fast));
        assertNotNull(fast.header("X-Request-Id"));
        assertNotNull(fast.header("Date"));
        assertNotEquals(ordinary.header("X-Request-Id"), fast.header("X-Request-Id"));
        long tokens = fast.json().get("usage").get("total_tokens").longValue();
        assertEquals(afterOrdinary * 2, afterOrdinary + tokens, "both answers charged the same tokens");
        assertEquals(afterOrdinary + tokens, usedThisMonth(key));
    }

    private static List<String> events(String body) {
        List<String> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        return events;
    }

    /** Stream events without their per-response id and time. */
    private static List<JsonNode> stableEvents(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String event : events(body)) {
            out.add(event.equals("[DONE]") ? JSON.getNodeFactory().stringNode(event) : stable(event));
        }
        return out;
    }

    @Test
    void streamedChatGetsTheOrdinaryPathsEventsAndCharge() {
        Key key = freshKey("");
        for (String extra : List.of("", ",\"stream_options\":{\"include_usage\":true}")) {
            double served = count("served");
            long before = usedThisMonth(key);
            Reply ordinaryOrFirst = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(true, extra));
            await().atMost(Duration.ofSeconds(5)).until(() -> usedThisMonth(key) > before);
            long charged = usedThisMonth(key) - before;
            Reply fast = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(true, extra));
            await().atMost(Duration.ofSeconds(5)).until(() -> usedThisMonth(key) >= before + 2 * charged);
            assertTrue(count("served") >= served + 1);
            assertEquals(200, fast.status(), fast.body());
            assertTrue(fast.header("Content-Type").startsWith("text/event-stream"));
            assertEquals(ordinaryOrFirst.header("Content-Type"), fast.header("Content-Type"));
            assertEquals(headerNames(ordinaryOrFirst), headerNames(fast));
            assertEquals(stableEvents(ordinaryOrFirst.body()), stableEvents(fast.body()));
            assertEquals("[DONE]", events(fast.body()).getLast());
            assertTrue(charged > 0);
            assertEquals(before + 2 * charged, usedThisMonth(key), "the fast path charged what the first one did");
        }
    }

    @Test
    void theClientsRequestIdIsEchoedAndABadOneReplaced() {
        Key key = freshKey("");
        gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        double served = count("served");
        Reply echoed = gateway.send(
                "POST",
                "/v1/chat/completions",
                key.secret(),
                chat(false, "").getBytes(StandardCharsets.UTF_8),
                Map.of("X-Request-Id", "client-id.42:a_b"));
        assertEquals("client-id.42:a_b", echoed.header("X-Request-Id"));
        Reply replaced = gateway.send(
                "POST",
                "/v1/chat/completions",
                key.secret(),
                chat(false, "").getBytes(StandardCharsets.UTF_8),
                Map.of("X-Request-Id", "not/a*good id"));
        assertEquals(4, UUID.fromString(replaced.header("X-Request-Id")).version());
        assertEquals(served + 2, count("served"));
    }

    /** Sends {@code body} with a key the fast path knows (cached by a first request): the ordinary path must answer. */
    private Reply refusedAfterCaching(Key key, String body) {
        Reply warm = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        assertEquals(200, warm.status(), warm.body());
        double served = count("served");
        double passed = count("passed");
        Reply reply = gateway.send("POST", "/v1/chat/completions", key.secret(), body);
        assertEquals(served, count("served"), "not served by the fast path");
        assertEquals(passed + 1, count("passed"), "handed to the ordinary path");
        return reply;
    }

    @Test
    void badInputIsAnsweredByTheOrdinaryPath() {
        Key key = freshKey("");
        Reply malformed = refusedAfterCaching(key, "{\"model\": ");
        assertEquals(400, malformed.status());
        assertEquals(
                "invalid_request", malformed.json().get("error").get("code").stringValue());
        assertTrue(malformed
                .json()
                .get("error")
                .get("message")
                .stringValue()
                .startsWith("request body is not valid JSON"));

        Reply missing = refusedAfterCaching(key, "{\"model\":\"" + CHAT_MODEL + "\"}");
        assertEquals(400, missing.status());
        assertEquals("messages", missing.json().get("error").get("param").stringValue());

        Reply wrongType = refusedAfterCaching(key, chat(false, "").replace("\"stream\":false", "\"stream\":\"yes\""));
        assertEquals(400, wrongType.status());
        assertEquals("stream", wrongType.json().get("error").get("param").stringValue());
    }

    @Test
    void aModelTheKeyMayNotUseIsRefusedByTheOrdinaryPath() {
        Key key = freshKey("");
        Reply refused = refusedAfterCaching(key, chat(false, "").replace(CHAT_MODEL, "qwen2.5:7b"));
        assertEquals(403, refused.status());
        assertEquals(
                "model_not_allowed", refused.json().get("error").get("code").stringValue());
        assertEquals("model", refused.json().get("error").get("param").stringValue());
    }

    @Test
    void overTheRequestLimitIsRefusedByTheOrdinaryPathWithRetryAfter() {
        GatewayFixture.awaitMinuteWithSecondsLeft(10);
        Key key = freshKey(",\"rpm\":2");
        Reply second = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        assertEquals(200, second.status());
        Reply third = refusedAfterCaching(key, chat(false, ""));
        assertEquals(429, third.status());
        assertEquals("rate_limit_error", third.json().get("error").get("type").stringValue());
        assertNotNull(third.header("Retry-After"));
    }

    @Test
    void aRevokedKeyIsRefusedByTheOrdinaryPath() {
        Key key = freshKey("");
        assertEquals(
                200,
                gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""))
                        .status());
        assertEquals(
                200,
                gateway.send("DELETE", "/admin/keys/" + key.id(), GatewayFixture.ADMIN_KEY, null)
                        .status());
        double served = count("served");
        Reply refused = gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""));
        assertEquals(401, refused.status());
        assertEquals("invalid_api_key", refused.json().get("error").get("code").stringValue());
        assertEquals(served, count("served"));
    }

    @Test
    void upstreamErrorsGetTheOrdinaryPathsAnswer() {
        gateway.simulator.addModel("llama-broken:1b", ModelBehaviour.instant().withUnavailable(true));
        try {
            Key key = freshKey("");
            String body = chat(false, "").replace(CHAT_MODEL, "llama-broken:1b");
            Reply ordinary = gateway.send("POST", "/v1/chat/completions", key.secret(), body);
            double served = count("served");
            Reply fast = gateway.send("POST", "/v1/chat/completions", key.secret(), body);
            assertEquals(served + 1, count("served"));
            assertEquals(503, fast.status());
            assertEquals(ordinary.status(), fast.status());
            assertEquals(ordinary.body(), fast.body());
            assertEquals(ordinary.header("Retry-After"), fast.header("Retry-After"));
        } finally {
            gateway.simulator.removeModel("llama-broken:1b");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderWhicheverPathTakesThem() throws Exception {
        Key key = freshKey("");
        assertEquals(
                200,
                gateway.send("POST", "/v1/chat/completions", key.secret(), chat(false, ""))
                        .status());
        String chat = chat(false, "");
        String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key.secret()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + chat.getBytes(StandardCharsets.UTF_8).length
                + "\r\nX-Request-Id: %s\r\n\r\n" + chat;
        String models = "GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key.secret()
                + "\r\nX-Request-Id: %s\r\n\r\n";
        String all = request.formatted("r1")
                + models.formatted("r2")
                + request.formatted("r3")
                + request.formatted("r4")
                + models.formatted("r5");
        try (Socket socket =
                new Socket(gateway.uri("/").getHost(), gateway.uri("/").getPort())) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write(all.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + 20_000_000_000L;
            List<String> ids = List.of();
            while (ids.size() < 5 && System.nanoTime() < deadline) {
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    received.write(buffer, 0, n);
                } catch (SocketTimeoutException e) {
                    // read what came so far
                }
                ids = requestIds(received.toString(StandardCharsets.UTF_8));
            }
            String text = received.toString(StandardCharsets.UTF_8);
            assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), ids, text);
            assertEquals(5, text.split("HTTP/1.1 200 OK", -1).length - 1, text);
        }
    }

    private static List<String> requestIds(String responses) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?i)x-request-id: *(\\S+)").matcher(responses);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }
}
