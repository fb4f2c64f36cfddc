package ai.sovereign.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator's socket client against a real HTTP server (the LLM simulator). */
class SocketHttpClientTest {

    private static final String MODEL = "llama3.1:8b";
    private static LlmSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withModels(MODEL)
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(4)));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static byte[] chat(boolean stream) {
        return ("{\"model\":\"" + MODEL + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWholeAnswerIsReadByItsLengthSoOneConnectionCarriesTheNextRequests() throws Exception {
        long before = simulator.metrics().completedRequests(MODEL);
        try (SocketHttpClient client = new SocketHttpClient(
                URI.create(simulator.baseUrl() + "/v1/chat/completions"),
                chat(false),
                Map.of("X-Request-Id", "socket-client-test"))) {
            for (int i = 0; i < 20; i++) {
                SocketHttpClient.Answer answer = client.send();
                assertEquals(200, answer.status());
                String body = new String(answer.body(), StandardCharsets.UTF_8);
                assertTrue(body.startsWith("{") && body.endsWith("}") && body.contains("\"choices\""), body);
            }
        }
        assertEquals(before + 20, simulator.metrics().completedRequests(MODEL));
    }

    @Test
    void aChunkedStreamIsReadToItsLastChunk() throws Exception {
        try (SocketHttpClient client =
                new SocketHttpClient(URI.create(simulator.baseUrl() + "/v1/chat/completions"), chat(true), Map.of())) {
            for (int i = 0; i < 3; i++) {
                SocketHttpClient.Answer answer = client.send();
                assertEquals(200, answer.status());
                String body = new String(answer.body(), StandardCharsets.UTF_8);
                assertTrue(body.contains("data: [DONE]"), body);
            }
        }
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedWithoutFailingTheRequest() throws Exception {
        // a server that answers one request per connection and then closes it, without saying so (an idle timeout)
        try (java.net.ServerSocket server =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (java.net.Socket socket = server.accept()) {
                        connections.incrementAndGet();
                        java.io.InputStream in = socket.getInputStream();
                        String head = "";
                        while (!head.endsWith("\r\n\r\n")) {
                            head += (char) in.read();
                        }
                        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                        in.readNBytes(length);
                        socket.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                                        .getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        socket.shutdownOutput();
                        in.read(); // until the client has seen the end
                    } catch (java.io.IOException e) {
                        // the next connection
                    }
                }
            });
            try (SocketHttpClient client = new SocketHttpClient(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions"),
                    chat(false),
                    Map.of())) {
                for (int i = 0; i < 3; i++) {
                    SocketHttpClient.Answer answer = client.send();
                    assertEquals(200, answer.status());
                    assertEquals("ok", new String(answer.body(), StandardCharsets.US_ASCII));
                }
            }
            assertEquals(3, connections.get(), "each request after the first found its pooled connection closed");
            server.close();
            acceptor.join(5000);
        }
    }

    @Test
    void anErrorStatusIsReportedAndTheNextRequestStillGoesThrough() throws Exception {
        try (SocketHttpClient missing =
                new SocketHttpClient(URI.create(simulator.baseUrl() + "/v1/no-such-route"), chat(false), Map.of())) {
            SocketHttpClient.Answer answer = missing.send();
            assertTrue(answer.status() >= 400 && answer.status() < 500, "status " + answer.status());
            assertTrue(missing.send().status() >= 400);
        }
    }
}
