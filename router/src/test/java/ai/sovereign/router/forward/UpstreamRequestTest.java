package ai.sovereign.router.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The adapters' request, and the JDK client's view of it that the recovery tests send. */
class UpstreamRequestTest {

    final UpstreamRequest request = UpstreamRequest.post(
            URI.create("http://gpu-1:11434/api/chat"),
            Map.of("X-Request-Id", "req-1", "Content-Type", "application/json", "accept", "application/json"),
            "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(7));

    @Test
    void headersAreInNameOrderAndFoundWhateverTheirCase() {
        assertEquals(
                List.of("accept", "Content-Type", "X-Request-Id"),
                List.copyOf(request.headers().keySet()));
        assertEquals("req-1", request.headers().get("x-request-id"));
    }

    @Test
    void theJdkRequestCarriesTheSameMethodUrlHeadersBodyAndTimeout() {
        HttpRequest jdk = request.toHttpRequest();
        assertEquals("POST", jdk.method());
        assertEquals(URI.create("http://gpu-1:11434/api/chat"), jdk.uri());
        assertEquals(
                Map.of(
                        "accept",
                        List.of("application/json"),
                        "Content-Type",
                        List.of("application/json"),
                        "X-Request-Id",
                        List.of("req-1")),
                Map.copyOf(jdk.headers().map()));
        assertEquals(Duration.ofSeconds(7), jdk.timeout().orElseThrow());
        assertEquals(request.body().length, jdk.bodyPublisher().orElseThrow().contentLength());
    }
}
