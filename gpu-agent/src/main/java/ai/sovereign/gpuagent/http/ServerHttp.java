package ai.sovereign.gpuagent.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import ai.sovereign.gpuagent.AgentSettings;
import jakarta.inject.Singleton;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blocking HTTP/1.1 calls to the inference servers on this host (JSON, Prometheus text, NDJSON streams). Run it off
 * the event loop; every call has the configured probe timeout unless it says otherwise.
 */
@Singleton
public final class ServerHttp {

    private final HttpClient client;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Duration timeout;

    public ServerHttp(AgentSettings settings) {
        this.timeout = settings.probeTimeout();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                // the calls are blocking and their handlers never block, so the client's internal steps run on its
                // selector thread instead of hopping to a worker pool: a third less CPU per call
                .executor(Runnable::run).build();
    }

    public JsonMapper json() {
        return json;
    }

    /** GET {@code baseUrl + path} as JSON; throws {@link ServerCallException} unless it answers 2xx with JSON. */
    public JsonNode getJson(String baseUrl, String path) {
        return parse("GET", baseUrl + path, getText(baseUrl, path));
    }

    /** GET {@code baseUrl + path} as text. */
    public String getText(String baseUrl, String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(baseUrl + path)).timeout(timeout).GET().build();
        return send("GET", request, timeout);
    }

    /** Sends {@code body} as JSON with {@code method} and returns the answer (2xx only) as text. */
    public String sendJson(String method, String baseUrl, String path, Object body, Duration callTimeout) {
        HttpRequest request = HttpRequest.newBuilder(uri(baseUrl + path)).timeout(callTimeout)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        return send(method, request, callTimeout);
    }

    /**
     * POSTs {@code body} as JSON and hands each line of the NDJSON answer, parsed, to {@code onLine} as it arrives.
     * {@code idleTimeout} bounds the wait for the response headers.
     */
    public void postStreamingLines(String baseUrl, String path, Object body, Duration idleTimeout,
                                   Consumer<JsonNode> onLine) {
        String url = baseUrl + path;
        HttpRequest request = HttpRequest.newBuilder(uri(url)).timeout(idleTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<Stream<String>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw failure("POST", url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerCallException("POST " + url + ": interrupted", 0);
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new ServerCallException("POST " + url + " answered " + response.statusCode() + ": "
                        + errorText(String.join("\n", lines.limit(5).toList())), response.statusCode());
            }
            lines.filter(line -> !line.isBlank()).forEach(line -> onLine.accept(parse("POST", url, line)));
        } catch (java.io.UncheckedIOException e) {
            throw failure("POST", url, e.getCause());
        }
    }

    private String send(String method, HttpRequest request, Duration callTimeout) {
        String url = request.uri().toString();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(method, url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerCallException(method + " " + url + ": interrupted", 0);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ServerCallException(method + " " + url + " answered " + response.statusCode() + ": "
                    + errorText(response.body()), response.statusCode());
        }
        return response.body();
    }

    private JsonNode parse(String method, String url, String text) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new ServerCallException(method + " " + url + ": answer is not JSON: " + e.getOriginalMessage(), 0);
        }
    }

    /** The {@code error} text of an Ollama or OpenAI error body, else the body itself, shortened. */
    private String errorText(String body) {
        String text = body == null ? "" : body.strip();
        try {
            JsonNode node = json.readTree(text);
            JsonNode error = node.path("error");
            if (error.isString()) {
                text = error.asString();
            } else if (error.path("message").isString()) {
                text = error.path("message").asString();
            }
        } catch (JacksonException e) {
            // not JSON: keep the raw text
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private ServerCallException failure(String method, String url, Throwable e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "connect timed out after " + timeout.toMillis() + " ms";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within the timeout";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new ServerCallException(method + " " + url + ": " + why, 0);
    }

    private static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ServerCallException("invalid URL " + url + ": " + e.getMessage(), 0);
        }
    }
}
