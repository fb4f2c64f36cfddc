package ai.sovereign.router.forward;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One request to an inference server as an adapter builds it, whichever HTTP client then sends it.
 *
 * @param uri     absolute URL: the server's base URL and the API path
 * @param headers header names compare without case and are kept in name order, so the request reads the same on
 *                the wire whatever order the adapter gave them in
 * @param body    the body, or null for none (a record compares arrays by identity: compare {@code body()}'s content)
 * @param timeout how long to wait for the server's response headers
 */
public record UpstreamRequest(
        String method,
        URI uri,
        Map<String, String> headers,
        @Nullable byte[] body,
        Duration timeout) {

    public UpstreamRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(timeout, "timeout");
        TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(headers);
        headers = Collections.unmodifiableSortedMap(sorted);
    }

    /** A POST of {@code body}. */
    public static UpstreamRequest post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        return new UpstreamRequest("POST", uri, headers, body, timeout);
    }

    /** The same request for the JDK's HTTP client (the recovery tests send theirs with it). */
    public HttpRequest toHttpRequest() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return builder.build();
    }
}
