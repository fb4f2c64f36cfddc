package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.cache.PrefixCacheSettings;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prefix cache seen from outside: prompt eval time, and vLLM's cache counters on /metrics. */
class PrefixCacheHttpTest {

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withModels("llama3.1:8b")
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withPrefixCache(new PrefixCacheSettings(16, 1000, Duration.ofMillis(1))));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static String chat(String system, String user) {
        return "{\"model\":\"llama3.1:8b\",\"stream\":false,\"messages\":[{\"role\":\"system\",\"content\":\"" + system
                + "\"},{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
    }

    private static String words(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("rule").append(i).append(' ');
        }
        return text.toString();
    }

    @Test
    void aRepeatedSystemPromptIsServedFromTheCacheAndCountedOnMetrics() throws Exception {
        String system = words(320);
        long missMs = promptEvalMs(
                http.post("/api/chat", chat(system, "first question")).body());
        long hitMs = promptEvalMs(
                http.post("/api/chat", chat(system, "second question")).body());
        assertTrue(missMs >= 300, "320 uncached tokens at 1 ms each (got " + missMs + " ms)");
        assertTrue(hitMs < missMs / 4, "only the new turn is prefilled (hit " + hitMs + " ms, miss " + missMs + " ms)");

        String metrics = http.get("/metrics").body();
        long queries = counter(metrics, "vllm:gpu_prefix_cache_queries_total");
        long hits = counter(metrics, "vllm:gpu_prefix_cache_hits_total");
        assertEquals(simulator.kvCache().cache().queriedTokens(), queries);
        assertTrue(hits >= 320 && hits < queries, "hits " + hits + " of " + queries + " tokens");
        assertTrue(metrics.contains("# TYPE vllm:gpu_cache_usage_perc gauge"));
        assertTrue(metrics.contains("llm_simulator_kv_cache_capacity_blocks 1000"));
    }

    private static long promptEvalMs(String body) {
        return SimulatorHttp.json(body).path("prompt_eval_duration").asLong() / 1_000_000;
    }

    private static long counter(String metrics, String name) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow();
    }
}
