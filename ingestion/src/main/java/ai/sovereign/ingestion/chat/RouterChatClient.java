package ai.sovereign.ingestion.chat;

import ai.sovereign.ingestion.router.RouterRequests;
import ai.sovereign.ingestion.router.RouterSettings;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The router's OpenAI {@code POST /v1/chat/completions}, whole or streamed (SSE), with the caller's token passed on. */
@Singleton
public class RouterChatClient {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper mapper;
    private final URI endpoint;

    public RouterChatClient(RouterSettings settings, JsonMapper mapper) {
        this.mapper = mapper;
        this.endpoint = RouterRequests.endpoint(settings.url(), "/v1/chat/completions");
    }

    /** The whole answer. */
    public String complete(String model, String system, String user, String token) {
        HttpResponse<InputStream> response = send(body(model, system, user, false), token);
        try (InputStream in = response.body()) {
            JsonNode json = mapper.readTree(in);
            return json.path("choices").path(0).path("message").path("content").asString("");
        } catch (IOException e) {
            throw unavailable("the router's answer could not be read: " + e.getMessage());
        }
    }

    /** Streams the answer's text deltas to {@code onDelta} as they arrive; returns when the stream ends. */
    public void stream(String model, String system, String user, String token, Consumer<String> onDelta) {
        HttpResponse<InputStream> response = send(body(model, system, user, true), token);
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    return;
                }
                JsonNode chunk = mapper.readTree(data);
                if (chunk.has("error")) {
                    throw unavailable("the model failed mid-answer: "
                            + chunk.path("error").path("message").asString(""));
                }
                String delta = chunk.path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asString("");
                if (!delta.isEmpty()) {
                    onDelta.accept(delta);
                }
            }
        } catch (IOException e) {
            throw unavailable("the router's stream broke: " + e.getMessage());
        }
    }

    private byte[] body(String model, String system, String user, boolean stream) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        body.put("stream", stream);
        body.put("temperature", 0.1);
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return mapper.writeValueAsBytes(body);
    }

    private HttpResponse<InputStream> send(byte[] body, String token) {
        HttpRequest.Builder request = RouterRequests.jsonPost(endpoint, body, Duration.ofMinutes(5), token);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String text;
                try (InputStream in = response.body()) {
                    text = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
                }
                throw unavailable("the router answered HTTP " + response.statusCode() + ": " + text);
            }
            return response;
        } catch (IOException e) {
            throw unavailable("the router at " + endpoint + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while calling the router");
        }
    }

    private static ApiException unavailable(String message) {
        return new ApiException(HttpStatus.BAD_GATEWAY, message, "upstream_error", null);
    }
}
