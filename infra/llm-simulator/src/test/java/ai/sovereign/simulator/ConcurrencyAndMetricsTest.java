package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.Endpoint;
import ai.sovereign.simulator.metrics.FailureKind;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrency limits, the vLLM-style gauges and the counters, observed while requests are in flight. */
class ConcurrencyAndMetricsTest {

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults().withDefaultBehaviour(ModelBehaviour.instant()));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void metricsShowARunningRequestWhileASlowStreamIsInFlight() throws Exception {
        String model = "slow-stream:7b";
        simulator.addModel(
                model, ModelBehaviour.instant().withOutputTokens(200).withInterTokenLatency(Duration.ofMillis(50)));
        HttpResponse<InputStream> response = http.postStream("/api/chat", chat(model));
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        reader.readLine();

        String running = "vllm:num_requests_running{model_name=\"" + model + "\"} 1";
        Await.until(
                "/metrics shows the stream running",
                Duration.ofSeconds(5),
                () -> http.get("/metrics").body().contains(running));
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("# TYPE vllm:num_requests_running gauge"));
        assertTrue(metrics.contains("vllm:num_requests_waiting{model_name=\"" + model + "\"} 0"));
        assertEquals(1, simulator.metrics().activeRequests());

        reader.close();
        Await.until(
                "the abandoned stream frees its slot",
                Duration.ofSeconds(10),
                () -> simulator.metrics().runningRequests(model) == 0);
        assertEquals(1, simulator.metrics().failures(model, FailureKind.CLIENT_ABORT));
    }

    @Test
    void maxConcurrencyMakesTheNextRequestWaitUntilASlotFrees() throws Exception {
        String model = "one-at-a-time:3b";
        simulator.addModel(
                model,
                ModelBehaviour.instant()
                        .withMaxConcurrency(1)
                        .withOutputTokens(25)
                        .withInterTokenLatency(Duration.ofMillis(40)));
        HttpResponse<InputStream> first = http.postStream("/api/chat", chat(model));
        Await.until(
                "the first request holds the only slot",
                Duration.ofSeconds(5),
                () -> simulator.metrics().runningRequests(model) == 1);

        CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(() -> {
            try {
                return http.postLines("/api/chat", chat(model)).body().toList();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(
                "the second request waits",
                Duration.ofSeconds(5),
                () -> simulator.metrics().waitingRequests(model) == 1);
        assertTrue(http.get("/metrics").body().contains("vllm:num_requests_waiting{model_name=\"" + model + "\"} 1"));
        assertFalse(second.isDone(), "no answer while the slot is taken");

        List<String> firstLines = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8))
                .lines()
                .toList();
        assertTrue(firstLines.getLast().contains("\"done\":true"));
        List<String> secondLines = second.get(10, TimeUnit.SECONDS);
        assertTrue(secondLines.getLast().contains("\"done\":true"));
        assertEquals(0, simulator.metrics().waitingRequests(model));
        Await.until(
                "both slots are released",
                Duration.ofSeconds(5),
                () -> simulator.metrics().runningRequests(model) == 0);
    }

    @Test
    void raisingMaxConcurrencyAdmitsWaitingRequestsAtOnce() throws Exception {
        String model = "raise-limit:3b";
        simulator.addModel(
                model,
                ModelBehaviour.instant()
                        .withMaxConcurrency(1)
                        .withOutputTokens(100)
                        .withInterTokenLatency(Duration.ofMillis(50)));
        HttpResponse<InputStream> first = http.postStream("/api/chat", chat(model));
        CompletableFuture<HttpResponse<InputStream>> second = CompletableFuture.supplyAsync(() -> {
            try {
                return http.postStream("/api/chat", chat(model));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(
                "the second request waits",
                Duration.ofSeconds(5),
                () -> simulator.metrics().waitingRequests(model) == 1);
        simulator.updateBehaviour(model, b -> b.withMaxConcurrency(2));
        assertEquals(200, second.get(5, TimeUnit.SECONDS).statusCode());
        assertEquals(2, simulator.metrics().runningRequests(model));
        first.body().close();
        second.get().body().close();
        Await.until(
                "both streams are released",
                Duration.ofSeconds(10),
                () -> simulator.metrics().runningRequests(model) == 0);
    }

    @Test
    void tokenAndRequestCountersMatchTheUsageReported() throws Exception {
        String model = "counted:1b";
        simulator.addModel(model, ModelBehaviour.instant().withOutputTokens(9));
        long chats = simulator.metrics().requests(Endpoint.OPENAI_CHAT);
        for (int i = 0; i < 3; i++) {
            http.post(
                    "/v1/chat/completions",
                    "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}");
        }
        assertEquals(chats + 3, simulator.metrics().requests(Endpoint.OPENAI_CHAT));
        assertEquals(3, simulator.metrics().completedRequests(model));
        assertEquals(6, simulator.metrics().promptTokens(model));
        assertEquals(27, simulator.metrics().generatedTokens(model));
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("vllm:generation_tokens_total{model_name=\"" + model + "\"} 27"), metrics);
        assertTrue(metrics.contains("vllm:prompt_tokens_total{model_name=\"" + model + "\"} 6"));
        assertTrue(metrics.contains("llm_simulator_http_requests_total{endpoint=\"/v1/chat/completions\"}"));
    }
}
