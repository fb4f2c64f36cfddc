package ai.sovereign.gpuagent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reads the gauges the probes need from vLLM-style exposition text. */
class PrometheusTextTest {

    // Shaped like vLLM 0.10's /metrics (names and labels from its documentation; numbers invented).
    private static final String VLLM = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.0
            # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 5.0
            # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.4375
            vllm:prompt_tokens_total{engine="0",model_name="a \\"quoted\\" name"} 1234 1712345678000
            broken line
            vllm:nan_gauge NaN
            """;

    @Test
    void sumsAndMaximaOfNamedSamples() {
        PrometheusText text = PrometheusText.parse(VLLM);

        assertEquals(3.0, text.sum("vllm:num_requests_running").orElseThrow());
        assertEquals(5.0, text.sum("vllm:num_requests_waiting").orElseThrow());
        assertEquals(0.4375, text.max("vllm:kv_cache_usage_perc").orElseThrow());
        assertEquals(
                "meta-llama/Llama-3.1-8B-Instruct",
                text.samples("vllm:num_requests_running").getFirst().label("model_name"));
    }

    @Test
    void aNameFilterKeepsOnlyTheNamedSamples() {
        PrometheusText text = PrometheusText.parse(VLLM, java.util.Set.of("vllm:num_requests_waiting"));

        assertEquals(5.0, text.sum("vllm:num_requests_waiting").orElseThrow());
        assertTrue(text.sum("vllm:num_requests_running").isEmpty());
        assertTrue(text.sum("vllm:kv_cache_usage_perc").isEmpty());
    }

    @Test
    void escapedLabelsTimestampsAndBrokenLinesAreHandled() {
        PrometheusText text = PrometheusText.parse(VLLM);

        assertEquals(
                "a \"quoted\" name",
                text.samples("vllm:prompt_tokens_total").getFirst().label("model_name"));
        assertEquals(1234.0, text.sum("vllm:prompt_tokens_total").orElseThrow());
        assertTrue(text.sum("vllm:nan_gauge").isEmpty(), "non-finite values are skipped");
        assertTrue(text.sum("absent").isEmpty());
    }
}
