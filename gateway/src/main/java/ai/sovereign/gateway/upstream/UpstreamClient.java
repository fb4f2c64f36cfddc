package ai.sovereign.gateway.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Calls the services behind the gateway over HTTP/1.1 (JDK client), with the headers every service reads: a freshly
 * minted service token ({@code X-Sovereign-Token}: subject = key id, tenant, role), {@code X-Sovereign-Key-Id},
 * {@code X-Sovereign-Tenant}, {@code X-Request-Id}, and {@code X-Priority} when the client sent one. The client's
 * {@code Authorization} header (its API key) never leaves the gateway. Blocking until the response headers: call
 * from a virtual thread.
 */
@Singleton
public class UpstreamClient {

    public static final String KEY_ID_HEADER = "X-Sovereign-Key-Id";
    public static final String TENANT_HEADER = "X-Sovereign-Tenant";
    public static final String PRIORITY_HEADER = "X-Priority";
    private static final String ISSUER = "gateway";

    private final HttpClient http;
    private final ServiceTokenCodec tokens;
    private final UpstreamSettings settings;

    public UpstreamClient(ServiceTokenCodec tokens, UpstreamSettings settings) {
        this.tokens = tokens;
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One call: target URL, method, body and the caller it is made for. */
    public record Call(URI url, String method, @Nullable byte[] body, @Nullable String contentType, @Nullable String accept,
                       KeyContext caller, @Nullable String priority) {
    }

    /** Sends {@code call} and returns once the headers are in; the body streams. 502/504 when the upstream fails. */
    public HttpResponse<Flow.Publisher<List<ByteBuffer>>> stream(Call call, String upstreamName) {
        return send(call, upstreamName, HttpResponse.BodyHandlers.ofPublisher());
    }

    /** Sends {@code call} and reads the whole response. */
    public HttpResponse<byte[]> exchange(Call call, String upstreamName) {
        return send(call, upstreamName, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The token the services verify, for {@code caller}. */
    public String mintToken(KeyContext caller) {
        return tokens.issue(caller.key().idString(), caller.key().tenant(), caller.key().role(), settings.tokenTtl(), ISSUER);
    }

    private <T> HttpResponse<T> send(Call call, String upstreamName, HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.url()).timeout(settings.responseTimeout())
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()))
                .header(ServiceTokenFilter.TOKEN_HEADER, mintToken(call.caller()))
                .header(KEY_ID_HEADER, call.caller().key().idString())
                .header(TENANT_HEADER, call.caller().key().tenant())
                .header(RequestIdFilter.HEADER, call.caller().requestId());
        if (call.contentType() != null) {
            builder.header("Content-Type", call.contentType());
        }
        if (call.accept() != null) {
            builder.header("Accept", call.accept());
        }
        if (call.priority() != null) {
            builder.header(PRIORITY_HEADER, call.priority());
        }
        try {
            return http.send(builder.build(), handler);
        } catch (HttpTimeoutException e) {
            throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, upstreamName + " did not answer within "
                    + settings.responseTimeout().toSeconds() + "s", "upstream_timeout", null);
        } catch (ConnectException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, upstreamName + " is unreachable at " + call.url().getHost()
                    + ":" + call.url().getPort() + "; check that it runs", "upstream_unreachable", null);
        } catch (IOException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, upstreamName + " failed: " + e.getMessage(), "upstream_error", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "gateway is shutting down", "shutting_down", null);
        }
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
