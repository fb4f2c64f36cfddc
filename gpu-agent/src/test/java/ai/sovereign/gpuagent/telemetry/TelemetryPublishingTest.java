package ai.sovereign.gpuagent.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.events.GpuTelemetry.ServerType;
import ai.sovereign.events.GpuTelemetry.SourceState;
import ai.sovereign.events.Topics;
import ai.sovereign.gpuagent.TopicReader;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on real Kafka with two simulated GPUs, an Ollama-type and a vLLM-type llm-simulator: telemetry arrives on
 * gpu.telemetry.v1 keyed by host id, the same figures are on /metrics and /health, and a server that goes away is
 * reported unhealthy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TelemetryPublishingTest {

    private final String hostId = "gpu-host-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private LlmSimulator ollama;
    private LlmSimulator vllm;
    private EmbeddedServer agent;
    private TopicReader<GpuTelemetry> telemetry;
    private boolean vllmStopped;

    @BeforeAll
    void start(@TempDir Path models) {
        ollama = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withModels("llama3.1:8b", "nomic-embed-text"));
        vllm = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withModels("qwen2.5:7b"));
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.kafkaProperties("gpu-agent"));
        props.put("micronaut.server.port", -1);
        props.put("gpu-agent.host-id", hostId);
        props.put("gpu-agent.interval", "1s");
        props.put("gpu-agent.gpu-source", "simulated");
        props.put("gpu-agent.simulated.gpu-count", 2);
        props.put("gpu-agent.model-dir", models.toString());
        props.put("gpu-agent.servers.ollama.url", ollama.baseUrl());
        props.put("gpu-agent.servers.ollama.type", "ollama");
        props.put("gpu-agent.servers.ollama.max-concurrency", 4);
        props.put("gpu-agent.servers.vllm.url", vllm.baseUrl());
        props.put("gpu-agent.servers.vllm.type", "vllm");
        props.put("gpu-agent.servers.vllm.max-concurrency", 16);
        telemetry = new TopicReader<>(Topics.GPU_TELEMETRY, GpuTelemetry.class, hostId);
        agent = ApplicationContext.run(EmbeddedServer.class, props, "test");
    }

    @AfterAll
    void stop() {
        agent.close();
        telemetry.close();
        ollama.close();
        if (!vllmStopped) {
            vllm.close();
        }
    }

    @Test
    void telemetryIsPublishedKeyedByHostWithGpusHostAndServers() throws Exception {
        get(ollama.baseUrl(), "POST", "/api/generate", "{\"model\":\"llama3.1:8b\",\"keep_alive\":\"10m\"}");

        ConsumerRecord<String, CloudEvent<GpuTelemetry>> record = telemetry.awaitRecord(
                Duration.ofSeconds(20),
                t -> t.servers().stream()
                        .anyMatch(s -> s.type() == ServerType.OLLAMA
                                && !s.loadedModels().isEmpty()));

        assertEquals(hostId, record.key());
        assertEquals("/gpu-agent/" + hostId, record.value().source());
        assertEquals(hostId, record.value().subject());
        GpuTelemetry t = record.value().data();
        assertEquals(hostId, t.hostId());
        assertEquals(1, t.intervalSeconds());
        assertFalse(t.agentVersion().isBlank());
        assertEquals(SourceState.OK, t.gpuSource().status());
        assertEquals(2, t.gpus().size());
        assertTrue(
                t.gpus().getFirst().memoryUsedBytes() > t.gpus().get(1).memoryUsedBytes(),
                "the loaded model sits on GPU 0: " + t.gpus());
        assertNotNull(t.host().memoryTotalBytes());
        assertNotNull(t.host().diskFreeBytes());
        assertEquals(2, t.servers().size());
        ServerStatus o = t.servers().getFirst();
        assertEquals(ServerType.OLLAMA, o.type());
        assertEquals(hostId + ":" + ollama.port(), o.id());
        assertEquals(ollama.baseUrl(), o.url());
        assertEquals(4, o.maxConcurrency());
        assertTrue(o.healthy());
        assertTrue(o.models().contains("nomic-embed-text"));
        assertEquals("llama3.1:8b", o.loadedModels().getFirst().name());
        ServerStatus v = t.servers().get(1);
        assertEquals(ServerType.VLLM, v.type());
        assertEquals(16, v.maxConcurrency());
        assertEquals(java.util.List.of("qwen2.5:7b"), v.models());
        assertEquals(0, v.requestsRunning());
        assertEquals(0, v.requestsWaiting());
    }

    @Test
    void metricsShowTheLatestSnapshot() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String metrics =
                    get(agent.getURI().toString(), "GET", "/metrics", null).body();
            assertTrue(
                    metrics.matches(
                            "(?s).*gpu_utilization_ratio\\{gpu=\"0\",name=\"Simulated GPU 80GB\",service=\"gpu-agent\",uuid=\"GPU-[0-9a-f-]+\"} .*"),
                    metrics);
            assertTrue(metrics.contains("gpu_memory_used_bytes{gpu=\"1\""), "memory gauge per GPU");
            assertTrue(metrics.contains("gpu_memory_total_bytes{gpu=\"0\""));
            assertTrue(metrics.contains("gpu_temperature_celsius{gpu=\"0\""));
            assertTrue(metrics.contains("gpu_power_watts{gpu=\"0\""));
            assertTrue(metrics.contains("host_disk_free_bytes{path=\""));
            assertTrue(metrics.contains("inference_server_up{server=\"" + hostId + ":" + vllm.port() + "\""), metrics);
            assertTrue(metrics.contains("inference_models_loaded{server=\"" + hostId + ":" + ollama.port() + "\""));
            assertTrue(
                    metrics.matches("(?s).*agent_telemetry_published_total\\{service=\"gpu-agent\"} [1-9].*"),
                    "published counter moves: " + metrics);
            assertTrue(metrics.contains("gpu_source_up{service=\"gpu-agent\",source=\"simulated-gpu\"} 1.0"));
        });
    }

    @Test
    void healthShowsTheGpuSourceAndEachServerAndTheTelemetryEndpointTheLastEvent() throws Exception {
        HttpResponse<String> health = get(agent.getURI().toString(), "GET", "/health", null);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(
                health.body().contains("\"simulated-gpu\":{\"name\":\"gpu-agent\",\"status\":\"UP\""), health.body());
        assertTrue(
                health.body().contains("\"server:ollama\":{\"name\":\"gpu-agent\",\"status\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"server:vllm\":{\"name\":\"gpu-agent\",\"status\":\"UP\""), health.body());

        HttpResponse<String> last = get(agent.getURI().toString(), "GET", "/api/agent/telemetry", null);
        assertEquals(200, last.statusCode(), last.body());
        assertTrue(last.body().contains("\"type\":\"ai.sovereign.gpu.telemetry.v1\""), last.body());
        assertTrue(last.body().contains("\"hostId\":\"" + hostId + "\""), last.body());
    }

    @Test
    @Order(Integer.MAX_VALUE) // it stops a server the other tests read
    void aServerThatStopsIsReportedUnhealthyInTelemetryAndHealth() throws Exception {
        vllm.close();
        vllmStopped = true;
        ConsumerRecord<String, CloudEvent<GpuTelemetry>> record = telemetry.awaitRecord(
                Duration.ofSeconds(20),
                t -> t.servers().size() == 2 && !t.servers().get(1).healthy());
        ServerStatus down = record.value().data().servers().get(1);
        assertTrue(down.error().contains(vllm.baseUrl() + "/v1/models"), down.error());
        assertEquals(java.util.List.of(), down.models());
        assertNull(down.requestsRunning());

        HttpResponse<String> health = get(agent.getURI().toString(), "GET", "/health", null);
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(
                health.body().contains("\"server:vllm\":{\"name\":\"gpu-agent\",\"status\":\"DOWN\""), health.body());
        assertTrue(
                health.body().contains("\"server:ollama\":{\"name\":\"gpu-agent\",\"status\":\"UP\""), health.body());
    }

    private HttpResponse<String> get(String base, String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
