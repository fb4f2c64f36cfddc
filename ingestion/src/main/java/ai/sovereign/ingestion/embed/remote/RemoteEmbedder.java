package ai.sovereign.ingestion.embed.remote;

import ai.sovereign.ingestion.embed.Embedder;
import ai.sovereign.ingestion.router.RouterRequests;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An embedding model behind an OpenAI {@code POST /v1/embeddings} endpoint (the router), called with a service token
 * like every call ingestion makes to the router; vectors are normalised here.
 */
public final class RemoteEmbedder implements Embedder {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper mapper;
    private final URI endpoint;
    private final String model;
    private final int dimensions;
    private final Supplier<String> serviceToken;
    private final @Nullable String apiKey;

    /**
     * @param serviceToken a service token for each call (the router meters embeddings by it)
     * @param apiKey       {@code ingestion.embedding.remote-token}: a key for an OpenAI-compatible endpoint in front of
     *                     the router, or null
     */
    public RemoteEmbedder(
            String baseUrl,
            String model,
            int dimensions,
            Supplier<String> serviceToken,
            @Nullable String apiKey,
            JsonMapper mapper) {
        this.mapper = mapper;
        this.endpoint = RouterRequests.endpoint(baseUrl, "/v1/embeddings");
        this.model = model;
        this.dimensions = dimensions;
        this.serviceToken = serviceToken;
        this.apiKey = apiKey;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        texts.forEach(body.putArray("input")::add);
        HttpRequest.Builder request = RouterRequests.jsonPost(
                endpoint, mapper.writeValueAsBytes(body), Duration.ofSeconds(60), serviceToken.get(), apiKey);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "embedding endpoint " + endpoint + " answered HTTP " + response.statusCode());
            }
            JsonNode data = mapper.readTree(response.body()).path("data");
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (JsonNode item : data) {
                JsonNode values = item.path("embedding");
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                if (vector.length != dimensions) {
                    throw new IllegalStateException("model " + model + " returned " + vector.length
                            + " dimensions; ingestion.embedding.remote-dimensions says " + dimensions);
                }
                vectors.add(normalise(vector));
            }
            if (vectors.size() != texts.size()) {
                throw new IllegalStateException(
                        "embedding endpoint returned " + vectors.size() + " vectors for " + texts.size() + " texts");
            }
            return vectors;
        } catch (IOException e) {
            throw new IllegalStateException("embedding endpoint " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / norm);
            }
        }
        return v;
    }
}
