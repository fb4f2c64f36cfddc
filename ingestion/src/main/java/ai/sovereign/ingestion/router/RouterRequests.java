package ai.sovereign.ingestion.router;

import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * How ingestion calls the router's OpenAI API (chat, entity extraction, remote embeddings): a JSON POST carrying the
 * service token in {@code X-Sovereign-Token}, the header the router meters usage by (the token's subject and tenant)
 * and, when its {@code /v1} routes are protected, requires.
 */
public final class RouterRequests {

    private RouterRequests() {}

    /** {@code path} (e.g. {@code /v1/embeddings}) under the router's base URL, whatever trailing '/' the URL has. */
    public static URI endpoint(String baseUrl, String path) {
        return URI.create(baseUrl.replaceAll("/+$", "") + path);
    }

    /**
     * A JSON POST of {@code body} to {@code endpoint}.
     *
     * @param serviceToken a token {@link RouterTokens} minted for the router; none when null or blank
     * @param apiKey       a static key for an OpenAI-compatible endpoint in front of the router, sent as
     *                     {@code Authorization: Bearer} (the router itself reads the service token); none when null or
     *                     blank
     */
    public static HttpRequest.Builder jsonPost(
            URI endpoint, byte[] body, Duration timeout, @Nullable String serviceToken, @Nullable String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (serviceToken != null && !serviceToken.isBlank()) {
            request.header(ServiceTokenFilter.TOKEN_HEADER, serviceToken);
        }
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return request;
    }

    /** {@link #jsonPost(URI, byte[], Duration, String, String)} without an API key. */
    public static HttpRequest.Builder jsonPost(
            URI endpoint, byte[] body, Duration timeout, @Nullable String serviceToken) {
        return jsonPost(endpoint, body, timeout, serviceToken, null);
    }
}
