package ai.sovereign.simulator.ollama;

import ai.sovereign.simulator.generation.EmbeddingGenerator;
import ai.sovereign.simulator.generation.TokenCounter;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.inference.InferenceExchange;
import ai.sovereign.simulator.inference.OneShotResponder;
import ai.sovereign.simulator.inference.Timings;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** POST /api/embed ({@code input} → {@code embeddings}) and the legacy POST /api/embeddings ({@code prompt} → {@code embedding}). */
public final class OllamaEmbeddingApi {

    private final ModelRegistry models;
    private final SimulatorMetrics metrics;

    public OllamaEmbeddingApi(ModelRegistry models, SimulatorMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    public void embed(HttpExchange exchange) {
        OllamaRequest request = OllamaRequest.parse(exchange);
        if (request == null) {
            return;
        }
        JsonNode input = request.body().path("input");
        List<String> texts = input.isArray()
                ? Json.strings(request.body(), "input")
                : input.isString() ? List.of(input.stringValue()) : List.of();
        int requestedDimensions;
        try {
            requestedDimensions = (int) Math.min(
                    Integer.MAX_VALUE,
                    Json.integer(request.body(), "dimensions").orElse(0));
        } catch (Json.InvalidField e) {
            OllamaErrors.badRequest(exchange, e.getMessage());
            return;
        }
        serve(exchange, request, texts, (model, timings) -> {
            ObjectNode body = Json.object().put("model", request.model());
            ArrayNode embeddings = body.putArray("embeddings");
            for (String text : texts) {
                addVector(embeddings.addArray(), vector(model, text, requestedDimensions));
            }
            body.put("total_duration", timings.totalNanos());
            body.put("load_duration", timings.loadNanos());
            body.put("prompt_eval_count", tokens(texts));
            return body;
        });
    }

    public void embeddings(HttpExchange exchange) {
        OllamaRequest request = OllamaRequest.parse(exchange);
        if (request == null) {
            return;
        }
        String prompt = Json.string(request.body(), "prompt", "");
        List<String> texts = prompt.isEmpty() ? List.of() : List.of(prompt);
        serve(exchange, request, texts, (model, timings) -> {
            ObjectNode body = Json.object();
            ArrayNode vector = body.putArray("embedding");
            if (!prompt.isEmpty()) {
                addVector(vector, EmbeddingGenerator.embed(model.name(), prompt, model.embeddingDimensions()));
            }
            return body;
        });
    }

    private interface Body {
        JsonNode build(SimulatedModel model, Timings timings);
    }

    private void serve(HttpExchange exchange, OllamaRequest request, List<String> texts, Body body) {
        SimulatedModel model = models.find(request.model()).orElse(null);
        if (model == null) {
            OllamaErrors.modelNotFound(exchange, request.model());
            return;
        }
        var responder = new OneShotResponder(OllamaErrors::send, tokens(texts)) {
            @Override
            public JsonNode complete(Timings timings) {
                return body.build(model, timings);
            }
        };
        Duration keepAlive = request.keepAlive();
        new InferenceExchange(exchange, model, model.behaviour(), metrics.model(model.name()), responder, keepAlive)
                .start();
    }

    // Newer Ollama servers truncate to "dimensions" when asked; a larger value keeps the native length.
    private static float[] vector(SimulatedModel model, String text, int requestedDimensions) {
        float[] full = EmbeddingGenerator.embed(model.name(), text, model.embeddingDimensions());
        return requestedDimensions > 0 && requestedDimensions < full.length
                ? EmbeddingGenerator.truncate(full, requestedDimensions)
                : full;
    }

    private static int tokens(List<String> texts) {
        int tokens = 0;
        for (String text : texts) {
            tokens += TokenCounter.count(text);
        }
        return tokens;
    }

    static void addVector(ArrayNode array, float[] vector) {
        for (float v : vector) {
            array.add(v);
        }
    }
}
