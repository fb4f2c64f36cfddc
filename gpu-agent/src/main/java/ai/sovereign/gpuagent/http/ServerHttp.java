package ai.sovereign.gpuagent.http;

import ai.sovereign.gpuagent.AgentSettings;
import ai.sovereign.runtime.json.JsonMapperFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blocking HTTP/1.1 calls to the inference servers on this host (JSON, Prometheus text, NDJSON streams), with
 * keep-alive connections. Built on {@link HttpURLConnection} on purpose: for a handful of small local calls a second
 * it costs a fraction of the CPU of {@code java.net.http.HttpClient}, whose asynchronous pipeline hops between threads
 * on every call (measured with the gpu-agent CPU benchmark). Run it off the event loop; every call has the configured
 * probe timeout unless it says otherwise.
 */
@Singleton
public final class ServerHttp {

    private static final int MAX_ERROR_TEXT = 200;

    private final JsonMapper json;
    private final Duration timeout;

    @Inject
    public ServerHttp(AgentSettings settings, JsonMapper json) {
        this.timeout = settings.probeTimeout();
        this.json = json;
    }

    /** For code outside an application context (tests, tools), on a mapper with the platform's settings. */
    public ServerHttp(AgentSettings settings) {
        this(settings, JsonMapperFactory.platformMapper());
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
        return call("GET", baseUrl + path, null, timeout);
    }

    /** Sends {@code body} as JSON with {@code method} and returns the answer (2xx only) as text. */
    public String sendJson(String method, String baseUrl, String path, Object body, Duration callTimeout) {
        return call(method, baseUrl + path, json.writeValueAsBytes(body), callTimeout);
    }

    /**
     * POSTs {@code body} as JSON and hands each line of the NDJSON answer, parsed, to {@code onLine} as it arrives.
     * {@code idleTimeout} bounds the wait for the answer to start and for each next line.
     */
    public void postStreamingLines(
            String baseUrl, String path, Object body, Duration idleTimeout, Consumer<JsonNode> onLine) {
        String url = baseUrl + path;
        HttpURLConnection connection = open("POST", url, idleTimeout);
        try {
            int status = exchange(connection, json.writeValueAsBytes(body));
            if (status / 100 != 2) {
                throw new ServerCallException(
                        "POST " + url + " answered " + status + ": " + errorText(readAll(connection.getErrorStream())),
                        status);
            }
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        onLine.accept(parse("POST", url, line));
                    }
                }
            }
        } catch (IOException e) {
            throw failure("POST", url, e);
        }
    }

    private String call(String method, String url, byte[] body, Duration callTimeout) {
        HttpURLConnection connection = open(method, url, callTimeout);
        try {
            int status = exchange(connection, body);
            if (status / 100 != 2) {
                throw new ServerCallException(
                        method + " " + url + " answered " + status + ": "
                                + errorText(readAll(connection.getErrorStream())),
                        status);
            }
            return readAll(connection.getInputStream());
        } catch (IOException e) {
            throw failure(method, url, e);
        }
    }

    private HttpURLConnection open(String method, String url, Duration callTimeout) {
        try {
            // the servers are on this host or its network: never through a JVM-wide HTTP proxy
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis()));
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", "application/json, text/plain, */*");
            return connection;
        } catch (IllegalArgumentException | IOException | ClassCastException e) {
            throw new ServerCallException("invalid URL " + url + ": " + e.getMessage(), 0);
        }
    }

    private static int exchange(HttpURLConnection connection, byte[] body) throws IOException {
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        return connection.getResponseCode();
    }

    /** Reads a body fully and closes it, so the connection goes back to the keep-alive cache. */
    private static String readAll(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
    }

    private ServerCallException failure(String method, String url, IOException e) {
        String why;
        if (e instanceof SocketTimeoutException) {
            why = String.valueOf(e.getMessage())
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("connect")
                    ? "connect timed out after " + timeout.toMillis() + " ms"
                    : "no answer within the timeout";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new ServerCallException(method + " " + url + ": " + why, 0);
    }
}
