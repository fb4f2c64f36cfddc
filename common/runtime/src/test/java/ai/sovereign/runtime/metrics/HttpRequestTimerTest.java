package ai.sovereign.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Each (method, route, status) gets its own http.server.requests series, whatever was recorded before it. */
class HttpRequestTimerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpRequestTimer timer = new HttpRequestTimer(registry);

    private long count(String method, String uri, String status) {
        Timer found = registry.find("http.server.requests")
                .tags("method", method, "uri", uri, "status", status)
                .timer();
        return found == null ? 0 : found.count();
    }

    @Test
    void routesWithTheSameStatusAreSeparateSeries() {
        long start = System.nanoTime();
        timer.record("POST", "/v1/chat/completions", 200, start);
        timer.record("POST", "/v1/embeddings", 200, start);
        timer.record("POST", "/v1/embeddings", 200, start);
        timer.record("POST", "/v1/embeddings", 503, start);
        timer.record("GET", "/v1/embeddings", 200, start);

        assertEquals(1, count("POST", "/v1/chat/completions", "200"));
        assertEquals(2, count("POST", "/v1/embeddings", "200"));
        assertEquals(1, count("POST", "/v1/embeddings", "503"));
        assertEquals(1, count("GET", "/v1/embeddings", "200"));
    }

    @Test
    void theTimeFromTheStartIsRecorded() {
        timer.record("POST", "/x", 200, System.nanoTime() - 2_000_000_000L);
        double seconds = registry.find("http.server.requests")
                .tag("uri", "/x")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(seconds >= 2 && seconds < 60, "recorded " + seconds + " s");
    }
}
