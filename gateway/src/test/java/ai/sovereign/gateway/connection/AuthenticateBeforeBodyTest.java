package ai.sovereign.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * A request announcing a 4 MiB body with a wrong or missing key is refused from its headers: the 401 arrives while
 * the client has sent none of the body, and the connection is closed. A right key's request goes on as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticateBeforeBodyTest {

    private static final int FOUR_MIB = 4 << 20;

    private GatewayFixture gateway;

    @BeforeAll
    void start() {
        // the body must not be read for the refusal: a stalled body would otherwise end only by the idle timeout
        gateway = GatewayFixture.start(Map.of("micronaut.server.read-idle-timeout", "30s"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aWrongOrMissingKeyIsRefusedBeforeTheBodyIsSent() {
        for (String authorization : new String[] {"Authorization: Bearer sk-" + UUID.randomUUID() + "\r\n", ""}) {
            for (String path : new String[] {"/v1/chat/completions", "/api/chat", "/api/v1/chat", "/admin/keys"}) {
                String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + authorization
                        + "Content-Type: application/json\r\nContent-Length: " + FOUR_MIB + "\r\n\r\n";
                String answer = assertTimeoutPreemptively(
                        Duration.ofSeconds(10), () -> headOnly(head), () -> "no answer before the body for " + path);
                assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
                JsonNode error = GatewayFixture.JSON
                        .readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4))
                        .get("error");
                if (path.equals("/api/chat")) {
                    assertTrue(error.isString(), "the Ollama route answers in Ollama's shape: " + answer);
                } else {
                    assertEquals("invalid_api_key", error.get("code").stringValue(), answer);
                    assertEquals("authentication_error", error.get("type").stringValue(), answer);
                }
            }
        }
    }

    @Test
    void aKnownKeysRequestWithABodyIsServedAsBefore() {
        String key =
                gateway.createKey("{\"name\":\"early\",\"tenant\":\"acme\"}").secret();
        // the key's first request after its creation may need a look-up: both go through the same way
        for (int i = 0; i < 2; i++) {
            GatewayFixture.Reply reply = gateway.send(
                    "POST", "/v1/embeddings", key, "{\"model\":\"\",\"input\":\"x\"}".getBytes(), Map.of());
            assertEquals(400, reply.status(), reply.body());
            assertEquals("model", reply.json().get("error").get("param").stringValue(), reply.body());
        }
    }

    /** Sends only {@code head}, then reads the whole answer until the server closes the connection. */
    private String headOnly(String head) throws IOException {
        try (Socket socket = new Socket(gateway.server.getHost(), gateway.server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
