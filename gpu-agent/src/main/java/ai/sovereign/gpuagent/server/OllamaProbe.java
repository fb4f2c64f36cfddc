package ai.sovereign.gpuagent.server;

import ai.sovereign.events.GpuTelemetry.LoadedModel;
import ai.sovereign.events.GpuTelemetry.ServerStatus;
import ai.sovereign.gpuagent.http.ServerCallException;
import ai.sovereign.gpuagent.http.ServerHttp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Ollama: models from {@code GET /api/tags}, resident models from {@code GET /api/ps}. */
final class OllamaProbe implements ServerProbe {

    private final ServerHttp http;
    private final java.util.Map<String, Instant> lastExpiries = new java.util.concurrent.ConcurrentHashMap<>();

    OllamaProbe(ServerHttp http) {
        this.http = http;
    }

    @Override
    public ServerStatus probe(InferenceServer server) {
        try {
            List<String> models = new ArrayList<>();
            for (JsonNode model : http.getJson(server.url(), "/api/tags").path("models")) {
                String name = model.path("name").asString(model.path("model").asString(""));
                if (!name.isEmpty()) {
                    models.add(name);
                }
            }
            List<LoadedModel> loaded = new ArrayList<>();
            for (JsonNode model : http.getJson(server.url(), "/api/ps").path("models")) {
                String name = model.path("name").asString(model.path("model").asString(""));
                if (!name.isEmpty()) {
                    JsonNode vram = model.path("size_vram");
                    loaded.add(new LoadedModel(
                            name,
                            vram.isIntegralNumber() ? vram.asLong() : null,
                            expiry(model.path("expires_at").asString(null))));
                }
            }
            return new ServerStatus(
                    server.id(),
                    server.url(),
                    server.type(),
                    server.maxConcurrency(),
                    true,
                    null,
                    models,
                    loaded,
                    null,
                    null,
                    null);
        } catch (ServerCallException e) {
            return ServerProbe.unhealthy(server, e.getMessage());
        }
    }

    /** Ollama writes {@code expires_at} with the server's offset and nanoseconds; absent or unparseable: null. */
    Instant expiry(String text) {
        // the same model keeps the same expiry between requests: skip the (costly) date parser then
        Instant known = lastExpiries.get(text);
        if (known != null || text == null) {
            return known;
        }
        Instant parsed = instant(text);
        if (parsed != null) {
            if (lastExpiries.size() > 256) {
                lastExpiries.clear();
            }
            lastExpiries.put(text, parsed);
        }
        return parsed;
    }

    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
