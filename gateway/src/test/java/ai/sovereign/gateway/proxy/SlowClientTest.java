package ai.sovereign.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.sovereign.gateway.support.GatewayFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client that stops sending half-way through its headers or its body is disconnected by the read-idle timeout. */
class SlowClientTest {

    @Test
    void clientStalledInHeadersOrBodyIsDisconnected() {
        try (GatewayFixture gateway = GatewayFixture.start(Map.of("micronaut.server.read-idle-timeout", "1s"))) {
            for (String partial : new String[] {
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bea",
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 500\r\n\r\n{\"model\":"
            }) {
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () -> {
                            try (Socket socket = new Socket(gateway.server.getHost(), gateway.server.getPort())) {
                                OutputStream out = socket.getOutputStream();
                                out.write(partial.getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                InputStream in = socket.getInputStream();
                                // the server closes the connection: read drains whatever it sent and then sees end of
                                // stream
                                while (in.read() != -1) {
                                    // drain
                                }
                                assertEquals(-1, in.read());
                            }
                        },
                        () -> "connection stayed open after: " + partial);
            }
        }
    }
}
