package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** gpu.telemetry.v1 from a gpu-agent registers its servers, feeds loaded models and GPU memory, and its silence counts. */
class TelemetryTest {

    @Test
    void agentTelemetryRegistersServersAndASilentHostMakesThemUnhealthyWithoutDeletingThem() throws Exception {
        try (RouterHarness router =
                        RouterHarness.start(2, RouterHarness.fastSettings(), List.of(), ModelBehaviour.instant());
                LlmSimulator agentServer = LlmSimulator.start(SimulatorConfig.defaults()
                        .withPort(0)
                        .withDefaultBehaviour(ModelBehaviour.instant())
                        .withModels("qwen2.5:7b"));
                KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
            EventCodec codec = new EventCodec();
            GpuTelemetry.ServerStatus status = new GpuTelemetry.ServerStatus(
                    "host-a:11434",
                    agentServer.baseUrl(),
                    GpuTelemetry.ServerType.OLLAMA,
                    6,
                    true,
                    null,
                    List.of("qwen2.5:7b"),
                    List.of(new GpuTelemetry.LoadedModel("qwen2.5:7b", 5_000_000_000L, null)),
                    null,
                    null,
                    null);
            // the same host also reports sim-0, which the fleet already has from config: no second registration
            GpuTelemetry.ServerStatus known = new GpuTelemetry.ServerStatus(
                    "host-a:9999",
                    router.simulators.getFirst().baseUrl() + "/",
                    GpuTelemetry.ServerType.OPENAI,
                    2,
                    true,
                    null,
                    List.of(RouterHarness.MODEL),
                    List.of(),
                    null,
                    null,
                    null);
            GpuTelemetry.GpuStats gpu = new GpuTelemetry.GpuStats(
                    0,
                    "GPU-1",
                    "NVIDIA H100",
                    80_000_000_000L,
                    20_000_000_000L,
                    60_000_000_000L,
                    0.3,
                    0.2,
                    55.0,
                    300.0,
                    700.0,
                    1980,
                    true,
                    0L);
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread agent = Thread.ofVirtual().start(() -> {
                while (sending.get()) {
                    GpuTelemetry t = new GpuTelemetry(
                            "host-a",
                            "0.1.0",
                            1,
                            Instant.now(),
                            new GpuTelemetry.GpuSourceStatus(GpuTelemetry.SourceState.OK, null),
                            List.of(gpu),
                            new GpuTelemetry.HostStats(0.1, null, null, null, null, null),
                            List.of(status, known));
                    producer.send(new ProducerRecord<>(
                            Topics.GPU_TELEMETRY,
                            "host-a",
                            codec.encode(CloudEvent.of("/test/gpu-agent", "host-a", t))));
                    producer.flush();
                    try {
                        Thread.sleep(300); // the agent's own interval, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> "healthy".equals(status(router)));
            JsonNode server = FailoverTest.server(router, "host-a-11434");
            assertEquals("gpu-agent:host-a", server.path("registeredBy").asString());
            assertEquals(6, server.path("maxConcurrency").asInt());
            assertEquals(0.75, server.path("gpuMemoryFreeRatio").asDouble(), 1e-9);
            assertTrue(server.path("loadedModels").toString().contains("qwen2.5:7b"), server.toString());
            assertEquals(
                    200,
                    router.post("/v1/chat/completions", RouterHarness.chat("qwen2.5:7b", false))
                            .statusCode());
            JsonNode hosts = router.adminJson("GET", "hosts", null).path("hosts");
            assertEquals("host-a", hosts.get(0).path("hostId").asString());
            assertEquals(
                    "NVIDIA H100",
                    router.adminJson("GET", "hosts/host-a", null)
                            .path("telemetry")
                            .path("gpus")
                            .get(0)
                            .path("name")
                            .asString());
            assertEquals(404, router.admin("GET", "hosts/host-z", null).statusCode());
            assertEquals(
                    2,
                    router.adminJson("GET", "servers", null).path("servers").size(),
                    "sim-0 is not registered twice");
            assertEquals(
                    0.75,
                    FailoverTest.server(router, "sim-0")
                            .path("gpuMemoryFreeRatio")
                            .asDouble(),
                    1e-9);

            sending.set(false);
            agent.join();
            await().atMost(Duration.ofSeconds(10)).until(() -> "unhealthy".equals(status(router)));
            assertTrue(FailoverTest.server(router, "host-a-11434")
                    .path("lastError")
                    .asString()
                    .contains("no telemetry from host host-a"));
            assertTrue(
                    router.adminJson("GET", "hosts/host-a", null).path("silent").asBoolean());
            assertEquals(
                    "unhealthy",
                    FailoverTest.server(router, "sim-0").path("status").asString());
        }
    }

    private static String status(RouterHarness router) {
        for (JsonNode s : router.adminJson("GET", "servers", null).path("servers")) {
            if (s.path("id").asString().equals("host-a-11434")) {
                return s.path("status").asString();
            }
        }
        return "absent";
    }
}
