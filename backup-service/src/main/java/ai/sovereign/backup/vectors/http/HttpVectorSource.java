package ai.sovereign.backup.vectors.http;

import ai.sovereign.backup.vectors.VectorSource;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link VectorSource} over the ingestion service's admin endpoints: {@code GET /api/v1/admin/vectors/export}
 * (NDJSON), {@code POST /api/v1/admin/vectors/import?mode=replace} (NDJSON body, answers {@code {"imported": n}}) and
 * {@code POST /api/v1/admin/vectors/import?mode=scratch} (NDJSON body, answers the NDJSON export of a scratch
 * collection holding just that body, dropped when the answer ends). Every call carries a service token
 * ({@code X-Sovereign-Token}) from {@code token}.
 */
public final class HttpVectorSource implements VectorSource {

    private static final Pattern IMPORTED = Pattern.compile("\"imported\"\\s*:\\s*(\\d+)");
    private static final String NDJSON = "application/x-ndjson";

    private final URI base;
    private final Supplier<String> token;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpVectorSource(String baseUrl, Supplier<String> token) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
    }

    @Override
    public InputStream export() throws IOException {
        return send(request("api/v1/admin/vectors/export")
                        .header("Accept", NDJSON)
                        .GET())
                .body();
    }

    @Override
    public long replaceAll(InputStream ndjson) throws IOException {
        HttpResponse<InputStream> response = send(request("api/v1/admin/vectors/import?mode=replace")
                .header("Content-Type", NDJSON)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> ndjson)));
        try (InputStream body = response.body()) {
            Matcher m = IMPORTED.matcher(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    @Override
    public InputStream restoreIntoScratch(InputStream ndjson) throws IOException {
        return send(request("api/v1/admin/vectors/import?mode=scratch")
                        .header("Content-Type", NDJSON)
                        .header("Accept", NDJSON)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> ndjson)))
                .body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header(ServiceTokenFilter.TOKEN_HEADER, token.get());
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder builder) throws IOException {
        HttpRequest request = builder.build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
                }
                throw new IOException(
                        request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + body);
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
