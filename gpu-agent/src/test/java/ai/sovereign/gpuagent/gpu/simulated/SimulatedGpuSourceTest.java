package ai.sovereign.gpuagent.gpu.simulated;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry.GpuStats;
import ai.sovereign.events.GpuTelemetry.SourceState;
import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.gpuagent.gpu.GpuReading;
import ai.sovereign.gpuagent.http.ServerHttp;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Simulated GPUs take memory when the simulator loads a model and get busy while it serves requests. */
class SimulatedGpuSourceTest {

    private static final long GIB = 1L << 30;
    private static final SimulatedGpuSettings TWO_GPUS =
            new SimulatedGpuSettings(2, "Simulated GPU 80GB", 80 * GIB, GIB / 2, 4, 700, null);

    private final ServerHttp http = new ServerHttp(new AgentSettings(
            "host-a", Duration.ofSeconds(5), AgentSettings.GpuSourceKind.SIMULATED, null, Duration.ofSeconds(2)));
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void memoryFollowsLoadedModelsAndUtilisationFollowsRunningRequests() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withModels("llama3.1:8b"))) {
            SimulatedGpuSource source =
                    new SimulatedGpuSource(TWO_GPUS, "host-a", sim.baseUrl(), new SimulatorLoadReader(http));

            GpuReading idle = source.read();
            assertTrue(idle.isOk(), String.valueOf(idle.status()));
            assertEquals(2, idle.gpus().size());
            for (GpuStats gpu : idle.gpus()) {
                assertEquals(GIB / 2, gpu.memoryUsedBytes());
                assertEquals(0.0, gpu.utilizationRatio());
            }

            post(sim.baseUrl() + "/api/generate", "{\"model\":\"llama3.1:8b\",\"keep_alive\":\"10m\"}");
            long used = source.read().gpus().getFirst().memoryUsedBytes();
            assertTrue(used > GIB, "the loaded model holds memory on GPU 0, got " + used);
            assertEquals(GIB / 2, source.read().gpus().get(1).memoryUsedBytes());

            sim.updateBehaviour("llama3.1:8b", b -> b.withHang(true));
            CompletableFuture<HttpResponse<String>> hung = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/generate"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.1:8b\",\"prompt\":\"hi\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertEquals(0.25, source.read().gpus().getFirst().utilizationRatio(), 1e-9));
            hung.cancel(true);
        }
    }

    @Test
    void anUnreachableSimulatorIsAFailedReadingNamingTheUrl() {
        SimulatedGpuSource source =
                new SimulatedGpuSource(TWO_GPUS, "host-a", "http://127.0.0.1:1", new SimulatorLoadReader(http));

        GpuReading reading = source.read();

        assertEquals(SourceState.FAILED, reading.status().status());
        assertTrue(
                reading.status().message().contains("http://127.0.0.1:1/metrics"),
                reading.status().message());
    }

    @Test
    void modelsArePlacedOnTheLeastUsedGpuAndBusyOnlyWhereTheyRun() {
        SimulatedGpuSource source = new SimulatedGpuSource(TWO_GPUS, "host-a", null, null);

        List<GpuStats> gpus = source.gpusUnder(
                new SimulatorLoad(Map.of("a:7b", 2, "b:70b", 8), Map.of("a:7b", 5 * GIB, "b:70b", 40 * GIB)));

        assertEquals(GIB / 2 + 5 * GIB, gpus.get(0).memoryUsedBytes());
        assertEquals(GIB / 2 + 40 * GIB, gpus.get(1).memoryUsedBytes());
        assertEquals(0.5, gpus.get(0).utilizationRatio(), 1e-9);
        assertEquals(1.0, gpus.get(1).utilizationRatio(), 1e-9, "capped at 100 %");
        assertEquals(
                gpus.get(0).memoryTotalBytes() - gpus.get(0).memoryUsedBytes(),
                gpus.get(0).memoryFreeBytes());
        assertTrue(gpus.get(1).powerDrawWatts() > gpus.get(0).powerDrawWatts());
        assertEquals(
                gpus.get(0).uuid(), source.gpusUnder(SimulatorLoad.IDLE).get(0).uuid(), "stable uuids");
    }

    private void post(String url, String body) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
