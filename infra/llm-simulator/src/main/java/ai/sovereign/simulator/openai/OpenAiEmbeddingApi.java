package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.generation.EmbeddingGenerator;
import ai.sovereign.simulator.generation.TokenCounter;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.inference.InferenceExchange;
import ai.sovereign.simulator.inference.OneShotResponder;
import ai.sovereign.simulator.inference.Timings;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.KeepAlive;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import ai.sovereign.simulator.openai.OpenAiErrors.InvalidRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /v1/embeddings: input as a string, an array of strings, or token ids; {@code dimensions}
 * shortens vectors; {@code encoding_format: base64} sends little-endian float32 bytes as OpenAI does.
 */
public final class OpenAiEmbeddingApi {

    private final ModelRegistry models;
    private final SimulatorMetrics metrics;

    public OpenAiEmbeddingApi(ModelRegistry models, SimulatorMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    public void embeddings(HttpExchange exchange) {
        try {
            JsonNode body = OpenAiRequest.body(exchange);
            String name = Json.string(body, "model", "");
            if (name.isBlank()) {
                throw new InvalidRequest("you must provide a model parameter", "model", null);
            }
            List<String> inputs = inputs(body.path("input"));
            boolean base64 = Json.string(body, "encoding_format", "float").equals("base64");
            SimulatedModel model = models.find(name).orElse(null);
            if (model == null) {
                OpenAiErrors.modelNotFound(exchange, name);
                return;
            }
            int dimensions = dimensions(body, model.embeddingDimensions());
            int tokens = inputs.stream().mapToInt(TokenCounter::count).sum();
            var responder = new OneShotResponder(OpenAiErrors::serverError, tokens) {
                @Override
                public JsonNode complete(Timings timings) {
                    return response(name, model, inputs, dimensions, base64, tokens);
                }
            };
            new InferenceExchange(
                            exchange,
                            model,
                            model.behaviour(),
                            metrics.model(model.name()),
                            responder,
                            KeepAlive.DEFAULT)
                    .start();
        } catch (InvalidRequest e) {
            OpenAiErrors.invalid(exchange, e);
        } catch (Json.InvalidField e) {
            OpenAiErrors.invalid(exchange, new InvalidRequest(e.getMessage(), e.field(), "invalid_type"));
        }
    }

    private static JsonNode response(
            String requestedName,
            SimulatedModel model,
            List<String> inputs,
            int dimensions,
            boolean base64,
            int tokens) {
        ObjectNode body = Json.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = EmbeddingGenerator.embed(model.name(), inputs.get(i), model.embeddingDimensions());
            if (dimensions < vector.length) {
                vector = EmbeddingGenerator.truncate(vector, dimensions);
            }
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                item.put("embedding", base64(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        body.put("model", requestedName);
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return body;
    }

    private static List<String> inputs(JsonNode input) {
        List<String> inputs = new ArrayList<>();
        if (input.isString()) {
            inputs.add(input.stringValue());
        } else if (input.isArray() && !input.isEmpty() && input.get(0).isNumber()) {
            inputs.add(tokenText(input));
        } else if (input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (item.isString()) {
                    inputs.add(item.stringValue());
                } else if (item.isArray()) {
                    inputs.add(tokenText(item));
                } else {
                    throw new InvalidRequest(
                            "'input' items must be strings or arrays of token ids", "input", "invalid_type");
                }
            }
        } else {
            throw new InvalidRequest(
                    "'input' must be a non-empty string, array of strings or array of token ids",
                    "input",
                    "invalid_value");
        }
        return inputs;
    }

    // Token ids have no text here; their decimal form is a stable stand-in to hash.
    private static String tokenText(JsonNode tokens) {
        StringBuilder text = new StringBuilder();
        for (JsonNode token : tokens) {
            text.append(token.asLong(0)).append(' ');
        }
        return text.toString().strip();
    }

    private static int dimensions(JsonNode body, int nativeDimensions) {
        long requested = Json.integer(body, "dimensions").orElse(nativeDimensions);
        if (requested < 1 || requested > nativeDimensions) {
            throw new InvalidRequest(
                    "'dimensions' must be between 1 and " + nativeDimensions + " for this model (got " + requested
                            + ")",
                    "dimensions",
                    "invalid_value");
        }
        return (int) requested;
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
