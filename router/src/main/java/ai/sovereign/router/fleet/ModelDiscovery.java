package ai.sovereign.router.fleet;

import ai.sovereign.router.config.ServerSpec;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Health check and model discovery in one call: Ollama's {@code GET /api/tags} (plus {@code /api/ps} for what is
 * loaded), an OpenAI-compatible server's {@code GET /v1/models}. A server that answers these is healthy.
 */
@Singleton
public class ModelDiscovery {

    private final HttpClient http;
    private final JsonMapper json;

    public ModelDiscovery(HttpClient http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    public CompletableFuture<Discovery> discover(ServerSpec spec, Duration timeout) {
        return switch (spec.type()) {
            case OLLAMA ->
                get(spec, "/api/tags", timeout).thenCompose(tags -> {
                    Set<String> models = names(tags.path("models"), "name");
                    // /api/ps is best effort: without it every model counts as loaded, as for OpenAI servers.
                    return get(spec, "/api/ps", timeout)
                            .thenApply(ps -> new Discovery(models, names(ps.path("models"), "name"), true))
                            .exceptionally(error -> new Discovery(models, Set.of(), false));
                });
            case OPENAI ->
                get(spec, "/v1/models", timeout)
                        .thenApply(list -> new Discovery(names(list.path("data"), "id"), Set.of(), false));
        };
    }

    private CompletableFuture<JsonNode> get(ServerSpec spec, String path, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(spec.url() + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered HTTP " + response.statusCode());
            }
            try {
                return json.readTree(response.body());
            } catch (RuntimeException e) {
                throw new IllegalStateException("GET " + path + " answered something that is not JSON");
            }
        });
    }

    private static Set<String> names(JsonNode list, String field) {
        Set<String> names = new HashSet<>();
        for (JsonNode entry : list) {
            JsonNode name = entry.get(field);
            if (name != null && name.isString() && !name.stringValue().isBlank()) {
                names.add(name.stringValue());
            }
        }
        return names;
    }
}
