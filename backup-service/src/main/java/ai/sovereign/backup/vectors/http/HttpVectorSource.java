package ai.sovereign.backup.vectors.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.sovereign.backup.vectors.VectorSource;

/**
 * {@link VectorSource} over the ingestion service's admin endpoints: {@code GET /api/v1/admin/vectors/export}
 * (NDJSON) and {@code POST /api/v1/admin/vectors/import?mode=replace} (NDJSON body, answers {@code {"imported": n}}).
 */
public final class HttpVectorSource implements VectorSource {

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpVectorSource(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    @Override
    public InputStream export() throws IOException {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(base.resolve("api/v1/admin/vectors/export"))
                .header("Accept", "application/x-ndjson").GET().build());
        return response.body();
    }

    @Override
    public long replaceAll(InputStream ndjson) throws IOException {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(base.resolve("api/v1/admin/vectors/import?mode=replace"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofInputStream(() -> ndjson)).build());
        try (InputStream body = response.body()) {
            String text = new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"imported\"\\s*:\\s*(\\d+)").matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                String body = new String(response.body().readNBytes(500), java.nio.charset.StandardCharsets.UTF_8);
                response.body().close();
                throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + body);
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String describe() {
        return "ingestion at " + base;
    }
}
