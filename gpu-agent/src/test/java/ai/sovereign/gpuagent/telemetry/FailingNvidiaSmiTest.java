package ai.sovereign.gpuagent.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.GpuTelemetry.SourceState;
import ai.sovereign.events.Topics;
import ai.sovereign.gpuagent.TopicReader;
import ai.sovereign.gpuagent.gpu.nvidia.Fixtures;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With nvidia-smi failing, the agent keeps running and publishing, and says why in telemetry, /health and /metrics. */
class FailingNvidiaSmiTest {

    @TempDir
    Path dir;

    @Test
    void aFailingNvidiaSmiIsReportedAndTheAgentKeepsPublishing() throws Exception {
        String hostId = "gpu-broken-" + UUID.randomUUID().toString().substring(0, 8);
        Path nvidiaSmi = Fixtures.fakeNvidiaSmi(dir, "driver-not-loaded.txt", 9);
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.kafkaProperties("gpu-agent"));
        props.put("micronaut.server.port", -1);
        props.put("gpu-agent.host-id", hostId);
        props.put("gpu-agent.interval", "1s");
        props.put("gpu-agent.gpu-source", "nvidia");
        props.put("gpu-agent.nvidia-smi.path", nvidiaSmi.toString());
        try (TopicReader<GpuTelemetry> telemetry = new TopicReader<>(Topics.GPU_TELEMETRY, GpuTelemetry.class, hostId);
                EmbeddedServer agent = ApplicationContext.run(EmbeddedServer.class, props, "test")) {

            telemetry.awaitRecord(Duration.ofSeconds(20), t -> true);
            GpuTelemetry second = telemetry
                    .awaitRecord(Duration.ofSeconds(20), t -> telemetry.seen().size() >= 2)
                    .value()
                    .data();
            assertEquals(SourceState.FAILED, second.gpuSource().status());
            assertTrue(
                    second.gpuSource().message().startsWith("nvidia-smi exited with code 9: NVIDIA-SMI has failed"),
                    second.gpuSource().message());
            assertEquals(0, second.gpus().size());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(agent.getURI() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode());
            assertTrue(
                    health.body()
                            .contains(
                                    "\"nvidia-smi\":{\"name\":\"gpu-agent\",\"status\":\"DOWN\",\"details\":{\"state\":\"FAILED\","
                                            + "\"message\":\"nvidia-smi exited with code 9"),
                    health.body());
            assertTrue(
                    health.body().contains("\"kafka\":{\"name\":\"gpu-agent\",\"status\":\"UP\""),
                    "the rest of the agent is fine");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create(agent.getURI() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertTrue(
                        metrics.matches("(?s).*nvidia_smi_failures_total\\{service=\"gpu-agent\"} [1-9].*"), metrics);
                assertTrue(metrics.contains("gpu_source_up{service=\"gpu-agent\",source=\"nvidia-smi\"} 0.0"));
                assertTrue(!metrics.contains("gpu_utilization_ratio{"), "no GPU series, rather than zeros");
            });
        }
    }
}
