package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Netty fast path that serves the inference routes in front of Micronaut: it is the path taken, it keeps the
 * contract (request id echoed, error bodies), and a connection mixing its answers with Micronaut's (keep-alive,
 * pipelining) gets every answer, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastPathTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        router = RouterHarness.start(
                4,
                RouterHarness.fastSettings(),
                List.of(),
                ModelBehaviour.instant()
                        .withInterTokenLatency(Duration.ofMillis(5))
                        .withOutputTokens(5));
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    private double served() {
        Matcher m = Pattern.compile("(?m)^orchestrator_fast_path_requests_total(?:\\{[^}]*})? ([0-9.eE+]+)$")
                .matcher(router.admin("GET", "metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void inferenceRequestsTakeTheFastPathAndKeepTheContract() {
        double before = served();
        HttpResponse<String> whole = router.post(
                "/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false), "X-Request-Id", "fast-path-1");
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals("fast-path-1", whole.headers().firstValue("X-Request-Id").orElse(null));
        assertTrue(whole.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(
                "chat.completion",
                RouterHarness.JSON.readTree(whole.body()).path("object").asString());
        assertCurrentDate(whole);

        HttpResponse<String> stream =
                router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true));
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertTrue(stream.headers().firstValue("X-Request-Id").isPresent());
        assertTrue(stream.body().contains("chat.completion.chunk"), stream.body());
        assertTrue(stream.body().trim().endsWith("data: [DONE]"), stream.body());
        assertCurrentDate(stream);

        HttpResponse<String> bad = router.post("/v1/chat/completions", "{\"model\":\"" + RouterHarness.MODEL + "\"}");
        assertEquals(400, bad.statusCode());
        assertEquals(
                "messages",
                RouterHarness.JSON
                        .readTree(bad.body())
                        .path("error")
                        .path("param")
                        .asString());
        assertEquals(
                "invalid_request_error",
                RouterHarness.JSON
                        .readTree(bad.body())
                        .path("error")
                        .path("type")
                        .asString());
        assertCurrentDate(bad);

        assertTrue(served() >= before + 3, "fast path counter " + before + " -> " + served());
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        String chat = RouterHarness.chat(RouterHarness.MODEL, false);
        String stream = RouterHarness.chat(RouterHarness.MODEL, true);
        String host = router.server.getHost() + ":" + router.server.getPort();
        String token = "X-Sovereign-Token: " + router.userToken + "\r\n";
        String requests = post(host, chat, "first") + "GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\n" + token
                + "\r\n" + post(host, stream, "third") + post(host, chat, "fourth")
                + "GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\n" + token + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket(router.server.getHost(), router.server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no end of the answers; got: " + all.toString(StandardCharsets.UTF_8), e);
            }
            String answers = all.toString(StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
            int first = answers.indexOf("x-request-id: first");
            int models = answers.indexOf("\"object\":\"list\"");
            int third = answers.indexOf("x-request-id: third");
            int done = answers.indexOf("data: [done]");
            int fourth = answers.indexOf("x-request-id: fourth");
            assertTrue(first >= 0 && first < models && models < third && third < done && done < fourth, answers);
            assertEquals(
                    5,
                    Pattern.compile("http/1.1 200 ok")
                            .matcher(answers)
                            .results()
                            .count(),
                    answers);
        }
    }

    /** Answers carry a {@code Date} header (RFC 9110), as Micronaut's do: the current time, to the second. */
    private static void assertCurrentDate(HttpResponse<String> response) {
        String date = response.headers().firstValue("Date").orElseThrow(() -> new AssertionError("no Date header"));
        long sent = java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                .toEpochSecond();
        long now = System.currentTimeMillis() / 1000;
        assertTrue(sent <= now && sent >= now - 30, "Date " + date + " is not now");
        assertTrue(date.endsWith(" GMT") && date.length() == 29, "not an IMF-fixdate: " + date);
    }

    private String post(String host, String body, String requestId) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "X-Sovereign-Token: " + router.userToken + "\r\n"
                + "X-Request-Id: " + requestId + "\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
    }
}
