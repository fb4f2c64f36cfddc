package ai.sovereign.gpuagent.gpu.simulated;

import ai.sovereign.gpuagent.http.ServerHttp;
import ai.sovereign.gpuagent.server.PrometheusText;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reads an llm-simulator's load: running requests from {@code /metrics}, loaded models from {@code /api/ps}. */
public final class SimulatorLoadReader {

    private static final String RUNNING_GAUGE = "vllm:num_requests_running";
    private static final java.util.Set<String> RUNNING = java.util.Set.of(RUNNING_GAUGE);

    private final ServerHttp http;

    public SimulatorLoadReader(ServerHttp http) {
        this.http = http;
    }

    /** The load now; throws {@link ai.sovereign.gpuagent.http.ServerCallException} when the simulator does not answer. */
    public SimulatorLoad read(String baseUrl) {
        Map<String, Integer> running = new HashMap<>();
        PrometheusText.parse(http.getText(baseUrl, "/metrics"), RUNNING)
                .samples(RUNNING_GAUGE)
                .forEach(sample -> running.merge(sample.label("model_name"), (int) sample.value(), Integer::sum));
        Map<String, Long> vram = new HashMap<>();
        for (JsonNode model : http.getJson(baseUrl, "/api/ps").path("models")) {
            vram.merge(model.path("name").asString(""), model.path("size_vram").asLong(0), Long::sum);
        }
        return new SimulatorLoad(running, vram);
    }
}
