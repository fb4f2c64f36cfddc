package ai.sovereign.gpuagent.server;

import ai.sovereign.events.GpuTelemetry.LoadedModel;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.events.GpuTelemetry.ServerType;
import ai.sovereign.gpuagent.http.ServerCallException;
import ai.sovereign.gpuagent.http.ServerHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI-compatible servers: models from {@code GET /v1/models}. For vLLM also {@code GET /metrics}: requests
 * running and waiting, and KV-cache use ({@code vllm:kv_cache_usage_perc}, or {@code vllm:gpu_cache_usage_perc} on
 * older versions; both are 0..1 despite the name). vLLM keeps the models it serves in GPU memory, so they are also
 * its loaded models. A failing {@code /metrics} leaves those values absent and the server healthy.
 */
final class OpenAiProbe implements ServerProbe {

    private static final java.util.Set<String> VLLM_GAUGES = java.util.Set.of(
            "vllm:num_requests_running",
            "vllm:num_requests_waiting",
            "vllm:kv_cache_usage_perc",
            "vllm:gpu_cache_usage_perc");

    private final ServerHttp http;

    OpenAiProbe(ServerHttp http) {
        this.http = http;
    }

    @Override
    public ServerStatus probe(InferenceServer server) {
        List<String> models = new ArrayList<>();
        try {
            for (JsonNode model : http.getJson(server.url(), "/v1/models").path("data")) {
                String id = model.path("id").asString("");
                if (!id.isEmpty()) {
                    models.add(id);
                }
            }
        } catch (ServerCallException e) {
            return ServerProbe.unhealthy(server, e.getMessage());
        }
        if (server.type() != ServerType.VLLM) {
            return new ServerStatus(
                    server.id(),
                    server.url(),
                    server.type(),
                    server.maxConcurrency(),
                    true,
                    null,
                    models,
                    List.of(),
                    null,
                    null,
                    null);
        }
        Integer running = null;
        Integer waiting = null;
        Double kvCache = null;
        try {
            PrometheusText metrics = PrometheusText.parse(http.getText(server.url(), "/metrics"), VLLM_GAUGES);
            running = asInt(metrics.sum("vllm:num_requests_running"));
            waiting = asInt(metrics.sum("vllm:num_requests_waiting"));
            OptionalDouble usage = metrics.max("vllm:kv_cache_usage_perc");
            if (usage.isEmpty()) {
                usage = metrics.max("vllm:gpu_cache_usage_perc");
            }
            kvCache = usage.isPresent() ? Math.min(1.0, Math.max(0.0, usage.getAsDouble())) : null;
        } catch (ServerCallException e) {
            // models answered, so the server serves; its queue figures are just unknown this time
        }
        List<LoadedModel> loaded =
                models.stream().map(name -> new LoadedModel(name, null, null)).toList();
        return new ServerStatus(
                server.id(),
                server.url(),
                server.type(),
                server.maxConcurrency(),
                true,
                null,
                models,
                loaded,
                running,
                waiting,
                kvCache);
    }

    private static Integer asInt(OptionalDouble value) {
        return value.isPresent() ? (int) Math.round(value.getAsDouble()) : null;
    }
}
