package ai.sovereign.simulator.metrics;

import ai.sovereign.simulator.cache.KvCacheModel;
import ai.sovereign.simulator.cache.PrefixCache;
import ai.sovereign.simulator.model.SimulatedModel;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Renders {@link SimulatorMetrics} in the Prometheus text format. The gauges carry vLLM's names
 * ({@code vllm:num_requests_running}, {@code vllm:num_requests_waiting}, label {@code model_name})
 * because the router and the dashboards read exactly those from real vLLM servers.
 */
public final class PrometheusFormat {

    private PrometheusFormat() {}

    /**
     * With the prefix cache's counters under vLLM's names: {@code vllm:gpu_prefix_cache_queries_total} and
     * {@code vllm:gpu_prefix_cache_hits_total} count prompt tokens looked up and found, {@code vllm:gpu_cache_usage_perc}
     * is the share of KV blocks in use (0..1), as vLLM reports them.
     */
    public static String render(SimulatorMetrics metrics, KvCacheModel kvCache) {
        StringBuilder out = new StringBuilder(render(metrics));
        PrefixCache cache = kvCache.cache();
        header(out, "vllm:gpu_prefix_cache_queries_total", "counter", "Prompt tokens looked up in the prefix cache.");
        modelSamples(out, metrics, "vllm:gpu_prefix_cache_queries_total", Long.toString(cache.queriedTokens()));
        header(out, "vllm:gpu_prefix_cache_hits_total", "counter", "Prompt tokens served from the prefix cache.");
        modelSamples(out, metrics, "vllm:gpu_prefix_cache_hits_total", Long.toString(cache.hitTokens()));
        header(out, "vllm:gpu_cache_usage_perc", "gauge", "Share of KV-cache blocks in use (1 = full).");
        modelSamples(out, metrics, "vllm:gpu_cache_usage_perc", Double.toString(cache.usage()));
        header(out, "llm_simulator_kv_cache_blocks", "gauge", "KV-cache blocks in use.");
        out.append("llm_simulator_kv_cache_blocks ").append(cache.usedBlocks()).append('\n');
        header(out, "llm_simulator_kv_cache_capacity_blocks", "gauge", "KV-cache capacity in blocks (0 = no cache).");
        out.append("llm_simulator_kv_cache_capacity_blocks ")
                .append(cache.capacityBlocks())
                .append('\n');
        header(out, "llm_simulator_kv_cache_evicted_blocks_total", "counter", "KV-cache blocks evicted (LRU).");
        out.append("llm_simulator_kv_cache_evicted_blocks_total ")
                .append(cache.evictedBlocks())
                .append('\n');
        return out.toString();
    }

    // The cache is the server's (one GPU), shown under each model it serves, as vLLM labels it by model_name.
    private static void modelSamples(StringBuilder out, SimulatorMetrics metrics, String name, String value) {
        for (SimulatedModel model : metrics.models()) {
            out.append(name)
                    .append("{model_name=\"")
                    .append(escape(model.name()))
                    .append("\"} ")
                    .append(value)
                    .append('\n');
        }
    }

    public static String render(SimulatorMetrics metrics) {
        StringBuilder out = new StringBuilder(2048);
        header(out, "vllm:num_requests_running", "gauge", "Requests currently being served.");
        for (SimulatedModel model : metrics.models()) {
            sample(
                    out,
                    "vllm:num_requests_running",
                    "model_name",
                    model.name(),
                    model.limiter().running());
        }
        header(out, "vllm:num_requests_waiting", "gauge", "Requests waiting for a concurrency slot.");
        for (SimulatedModel model : metrics.models()) {
            sample(
                    out,
                    "vllm:num_requests_waiting",
                    "model_name",
                    model.name(),
                    model.limiter().waiting());
        }
        Map<String, ModelStats> stats = new TreeMap<>(metrics.perModel());
        counter(out, stats, "vllm:prompt_tokens_total", "Prompt tokens processed.", ModelStats::promptTokens);
        counter(out, stats, "vllm:generation_tokens_total", "Tokens generated.", ModelStats::generatedTokens);
        counter(
                out,
                stats,
                "vllm:request_success_total",
                "Inference requests answered in full.",
                ModelStats::completed);

        header(out, "llm_simulator_failures_total", "counter", "Inference requests failed, by failure kind.");
        stats.forEach((model, s) -> {
            for (FailureKind kind : FailureKind.values()) {
                out.append("llm_simulator_failures_total{model_name=\"")
                        .append(escape(model))
                        .append("\",kind=\"")
                        .append(kind.label())
                        .append("\"} ")
                        .append(s.failures(kind))
                        .append('\n');
            }
        });
        header(out, "llm_simulator_http_requests_total", "counter", "HTTP requests received, by endpoint.");
        for (Endpoint endpoint : Endpoint.values()) {
            sample(out, "llm_simulator_http_requests_total", "endpoint", endpoint.path(), metrics.requests(endpoint));
        }
        header(out, "llm_simulator_pulls_total", "counter", "Model pulls received.");
        out.append("llm_simulator_pulls_total ").append(metrics.pulls()).append('\n');
        return out.toString();
    }

    private static void counter(
            StringBuilder out,
            Map<String, ModelStats> stats,
            String name,
            String help,
            ToLongFunction<ModelStats> value) {
        header(out, name, "counter", help);
        stats.forEach((model, s) -> sample(out, name, "model_name", model, value.applyAsLong(s)));
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String label, String labelValue, long value) {
        out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(escape(labelValue))
                .append("\"} ")
                .append(value)
                .append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
