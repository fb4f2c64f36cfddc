package ai.sovereign.gateway.connection;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A client that stops sending half-way through its headers or its body is disconnected by the read-idle timeout; one
 * that trickles its body, never idle for long, is disconnected by the minimum body rate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {

    private GatewayFixture gateway;
    private String key;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start(Map.of(
                "micronaut.server.read-idle-timeout", "1s",
                "gateway.min-body-rate", 1000,
                "gateway.min-body-rate-grace", "1s"));
        key = gateway.createKey("{\"name\":\"slow\",\"tenant\":\"acme\"}").secret();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void clientStalledInHeadersOrBodyIsDisconnected() {
        for (String partial : new String[] {
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bea",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"model\":"
        }) {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> {
                        try (Socket socket = connect()) {
                            socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().flush();
                            assertClosedWithoutAnswer(socket.getInputStream());
                        }
                    },
                    () -> "connection stayed open after: " + partial);
        }
    }

    @Test
    void aClientTricklingItsBodyIsCutOffAlthoughNeverIdle() {
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                int sent = 0;
                try {
                    // one byte every 200 ms: 5 bytes a second, well inside the 1 s idle timeout each time
                    while (sent < 100) {
                        out.write('{');
                        out.flush();
                        sent++;
                        Thread.sleep(200);
                    }
                } catch (IOException closed) {
                    // the server closed the connection under the writer
                }
                assertTrue(sent < 100, "still accepting bytes after " + sent);
                assertClosedWithoutAnswer(socket.getInputStream());
            }
        });
    }

    private Socket connect() throws IOException {
        return new Socket(gateway.server.getHost(), gateway.server.getPort());
    }

    private static void assertClosedWithoutAnswer(InputStream in) throws IOException {
        try {
            // closed by a guard, not refused: whatever came back is no authentication failure
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(!answer.contains(" 401 ") && !answer.contains(" 429 "), answer);
        } catch (java.net.SocketException reset) {
            // closed with unread bytes in its buffer: a reset is a close too
        }
    }
}
