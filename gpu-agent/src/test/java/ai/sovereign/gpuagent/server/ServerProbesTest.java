package ai.sovereign.gpuagent.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry.LoadedModel;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.events.GpuTelemetry.ServerType;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.gpuagent.http.ServerHttp;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each probe reads a real llm-simulator through the API of its server type. */
class ServerProbesTest {

    private static LlmSimulator sim;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final AgentSettings AGENT = new AgentSettings(
            "host-p", Duration.ofSeconds(5), AgentSettings.GpuSourceKind.SIMULATED, null, Duration.ofSeconds(2));

    @BeforeAll
    static void startSimulator() {
        sim = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withModels("llama3.1:8b", "nomic-embed-text")
                .withModel(
                        "busy:1b",
                        ModelBehaviour.instant().withMaxConcurrency(1).withHang(true)));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @Test
    void ollamaProbeListsModelsAndTheLoadedOnesWithVramAndExpiry() throws Exception {
        send("POST", "/api/generate", "{\"model\":\"llama3.1:8b\",\"keep_alive\":\"10m\"}");

        ServerStatus status = probe(ServerType.OLLAMA);

        assertTrue(status.healthy(), status.error());
        assertNull(status.error());
        assertEquals("host-p:" + sim.port(), status.id());
        assertEquals(sim.baseUrl(), status.url());
        assertEquals(7, status.maxConcurrency());
        assertTrue(
                status.models().containsAll(List.of("llama3.1:8b", "nomic-embed-text", "busy:1b")),
                status.models().toString());
        LoadedModel loaded = status.loadedModels().stream()
                .filter(m -> m.name().equals("llama3.1:8b"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("llama3.1:8b not loaded: " + status.loadedModels()));
        assertNotNull(loaded.sizeVramBytes());
        assertTrue(loaded.sizeVramBytes() > 1_000_000_000L, "an 8B Q4 model holds GBs, got " + loaded.sizeVramBytes());
        assertNotNull(loaded.expiresAt());
        assertTrue(loaded.expiresAt().isAfter(Instant.now().plusSeconds(500)), "keep_alive 10m: " + loaded.expiresAt());
    }

    @Test
    void openAiProbeListsModelsAndReportsNoQueue() {
        ServerStatus status = probe(ServerType.OPENAI);

        assertTrue(status.healthy(), status.error());
        assertTrue(status.models().contains("llama3.1:8b"), status.models().toString());
        assertEquals(List.of(), status.loadedModels());
        assertNull(status.requestsRunning());
        assertNull(status.requestsWaiting());
    }

    @Test
    void vllmProbeReadsRunningAndWaitingRequestsFromMetrics() {
        List<CompletableFuture<HttpResponse<String>>> hung = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hung.add(CLIENT.sendAsync(
                    HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"busy:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ServerStatus status = probe(ServerType.VLLM);
                assertTrue(status.healthy(), status.error());
                assertEquals(1, status.requestsRunning());
                assertEquals(2, status.requestsWaiting());
                assertTrue(status.loadedModels().stream().anyMatch(m -> m.name().equals("busy:1b")));
                assertEquals(
                        0.0,
                        status.kvCacheUsageRatio(),
                        "the simulator's prefix cache is off: its KV-cache gauge reads 0");
            });
        } finally {
            hung.forEach(f -> f.cancel(true));
        }
    }

    @Test
    void anUnreachableServerIsUnhealthyWithTheUrlAndReason() {
        InferenceServers servers = new InferenceServers(
                List.of(new ServerSettings("gone", "http://127.0.0.1:1/", ServerType.OLLAMA, 2, "gone-1")),
                AGENT,
                new ServerHttp(AGENT));

        ServerStatus status = servers.probeAll().getFirst();

        assertFalse(status.healthy());
        assertEquals("gone-1", status.id());
        assertEquals("http://127.0.0.1:1", status.url());
        assertTrue(status.error().contains("GET http://127.0.0.1:1/api/tags"), status.error());
        assertEquals(List.of(), status.models());
    }

    @Test
    void serversAreProbedInParallelInNameOrder() {
        InferenceServers servers = new InferenceServers(
                List.of(
                        new ServerSettings("vllm", sim.baseUrl(), ServerType.VLLM, 8, "b"),
                        new ServerSettings("ollama", sim.baseUrl(), ServerType.OLLAMA, 4, "a")),
                AGENT,
                new ServerHttp(AGENT));

        List<ServerStatus> statuses = servers.probeAll();

        assertEquals(List.of("a", "b"), statuses.stream().map(ServerStatus::id).toList());
        assertTrue(statuses.stream().allMatch(ServerStatus::healthy));
        assertEquals("a", servers.defaultOllama().orElseThrow().id());
        assertEquals("a", servers.byUrl(sim.baseUrl() + "/").orElseThrow().id(), "first match in name order");
    }

    private static ServerStatus probe(ServerType type) {
        InferenceServers servers = new InferenceServers(
                List.of(new ServerSettings("s", sim.baseUrl(), type, 7, null)), AGENT, new ServerHttp(AGENT));
        return servers.probeAll().getFirst();
    }

    private static void send(String method, String path, String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
