package ai.sovereign.gateway.upstream;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.http.PooledHttpClient;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.netty.channel.EventLoopGroupFactory;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Calls the services behind the gateway over HTTP/1.1, with the headers every service reads: a service token
 * ({@code X-Sovereign-Token}: an ES256 JWT signed by the gateway's key, audience the service called, subject = key id,
 * tenant, role; the only place the services take the caller from), {@code X-Request-Id}, and {@code X-Priority} when
 * the client sent one. The client's {@code Authorization} header (its API key) never leaves the gateway.
 *
 * <p>Inference (the hot path) goes through {@link #exchangeAsync} / {@link #streamAsync}: a {@link PooledHttpClient}
 * on the HTTP server's event loops (pooled keep-alive connections, the answer read and relayed on an event loop, no
 * thread hand-offs, bodies streamed as they arrive). The operations APIs and the model list use the blocking JDK
 * client ({@link #stream}, {@link #exchange}: call them from a virtual thread). Service tokens are minted once per
 * service and key and reused for half their lifetime ({@code gateway.token-ttl}).
 */
@Singleton
public class UpstreamClient {

    public static final String PRIORITY_HEADER = "X-Priority";
    private static final String ROUTER = "router";

    private final HttpClient http;
    private final PooledHttpClient pooled;
    private final ServiceTokenSigner tokens;
    private final UpstreamSettings settings;
    private final RouterFailover routers;
    private final Duration tokenTtl;
    /**
     * Minted service tokens per service called and key (id, tenant and role), reused while more than half their
     * lifetime is left.
     */
    private final Map<String, MintedToken> minted = new ConcurrentHashMap<>();

    public UpstreamClient(
            ServiceTokenSigner tokens,
            UpstreamSettings settings,
            UpstreamTokenSettings tokenSettings,
            EventLoopGroupRegistry eventLoops,
            EventLoopGroupFactory transport) {
        this.tokens = tokens;
        this.settings = settings;
        this.routers =
                new RouterFailover(settings.router().stream().map(URI::create).toList());
        this.tokenTtl = tokenSettings.tokenTtl();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.pooled = PooledHttpClient.onServerEventLoops(
                eventLoops, transport, settings.connectTimeout(), settings.maxConnectionsPerHost());
    }

    private record MintedToken(String token, long renewAtNanos) {}

    /** A whole answer of the pooled client. */
    public record Whole(int status, HttpHeaders headers, byte[] body) {
        public @Nullable String retryAfter() {
            return headers.get("Retry-After");
        }
    }

    /** A streamed answer of the pooled client: status and headers, and the body as it arrives. */
    public record Streamed(int status, HttpHeaders headers, Flux<byte[]> body) {
        public @Nullable String retryAfter() {
            return headers.get("Retry-After");
        }
    }

    /**
     * Sends {@code call} on the pooled client and reads the whole answer. The future fails with the
     * {@link ApiException} (502/504) the client should get when the upstream cannot be reached or does not answer.
     */
    public CompletableFuture<Whole> exchangeAsync(Call call, String upstreamName) {
        CompletableFuture<Whole> result = new CompletableFuture<>();
        routers.send(pooled, pooledRequest(call), new PooledHttpClient.Listener() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private io.netty.handler.codec.http.HttpResponse response;

            @Override
            public void onHeaders(io.netty.handler.codec.http.HttpResponse response) {
                this.response = response;
            }

            @Override
            public void onContent(ByteBuf content) {
                body.writeBytes(bytes(content));
            }

            @Override
            public void onComplete() {
                result.complete(new Whole(response.status().code(), response.headers(), body.toByteArray()));
            }

            @Override
            public void onError(Throwable error) {
                result.completeExceptionally(failure(error, call, upstreamName));
            }
        });
        return result;
    }

    /**
     * Sends {@code call} on the pooled client; the future completes when the headers are in, the body streams (one
     * subscriber; cancelling it closes the connection, which cancels the upstream request).
     */
    public CompletableFuture<Streamed> streamAsync(Call call, String upstreamName) {
        CompletableFuture<Streamed> result = new CompletableFuture<>();
        Sinks.Many<byte[]> sink = Sinks.many().unicast().onBackpressureBuffer();
        PooledHttpClient.Exchange exchange = routers.send(pooled, pooledRequest(call), new PooledHttpClient.Listener() {
            @Override
            public void onHeaders(io.netty.handler.codec.http.HttpResponse response) {
                result.complete(new Streamed(response.status().code(), response.headers(), sink.asFlux()));
            }

            @Override
            public void onContent(ByteBuf content) {
                sink.tryEmitNext(bytes(content));
            }

            @Override
            public void onComplete() {
                sink.tryEmitComplete();
            }

            @Override
            public void onError(Throwable error) {
                if (!result.completeExceptionally(failure(error, call, upstreamName))) {
                    sink.tryEmitError(error);
                }
            }
        });
        return result.thenApply(streamed -> new Streamed(
                streamed.status(), streamed.headers(), streamed.body().doOnCancel(exchange::cancel)));
    }

    /**
     * Sends {@code call} on the pooled client with {@code listener} receiving the answer as it comes (on the calling
     * event loop when called from one): for the gateway's Netty fast path, which writes it to the client itself.
     * Map a failure with {@link #failure}.
     */
    public PooledHttpClient.Exchange sendPooled(Call call, PooledHttpClient.Listener listener) {
        return routers.send(pooled, pooledRequest(call), listener);
    }

    private PooledHttpClient.Request pooledRequest(Call call) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(ServiceTokenFilter.TOKEN_HEADER, mintToken(ROUTER, call.caller()))
                .set(RequestIdFilter.HEADER, call.caller().requestId());
        if (call.contentType() != null) {
            headers.set("Content-Type", call.contentType());
        }
        if (call.accept() != null) {
            headers.set("Accept", call.accept());
        }
        if (call.priority() != null) {
            headers.set(PRIORITY_HEADER, call.priority());
        }
        return new PooledHttpClient.Request(
                call.url(), HttpMethod.valueOf(call.method()), headers, call.body(), settings.responseTimeout());
    }

    private static byte[] bytes(ByteBuf content) {
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        return bytes;
    }

    /**
     * The error the client gets when the pooled exchange of {@code call} failed with {@code error}: 503 when every
     * connection the gateway may open to the upstream is taken, 504 when it did not answer in time, else 502.
     */
    public ApiException failure(Throwable error, Call call, String upstreamName) {
        if (error instanceof PooledHttpClient.ConnectionLimitException) {
            return new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    upstreamName + " is busy: " + error.getMessage()
                            + " (gateway.upstreams.max-connections-per-host); retry shortly",
                    "upstream_connection_limit",
                    null);
        }
        if (error instanceof HttpTimeoutException) {
            return new ApiException(
                    HttpStatus.GATEWAY_TIMEOUT,
                    upstreamName + " did not answer within "
                            + settings.responseTimeout().toSeconds() + "s",
                    "upstream_timeout",
                    null);
        }
        if (error instanceof ConnectException) {
            return new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    upstreamName + " is unreachable at " + call.url().getHost() + ":"
                            + call.url().getPort() + "; check that it runs",
                    "upstream_unreachable",
                    null);
        }
        return new ApiException(
                HttpStatus.BAD_GATEWAY, upstreamName + " failed: " + error.getMessage(), "upstream_error", null);
    }

    /** One call: target URL, method, body and the caller it is made for. */
    public record Call(
            URI url,
            String method,
            @Nullable byte[] body,
            @Nullable String contentType,
            @Nullable String accept,
            KeyContext caller,
            @Nullable String priority) {

        /** This call sent to {@code other} instead. */
        Call to(URI other) {
            return new Call(other, method, body, contentType, accept, caller, priority);
        }
    }

    /** Sends {@code call} and returns once the headers are in; the body streams. 502/504 when the upstream fails. */
    public HttpResponse<Flow.Publisher<List<ByteBuffer>>> stream(Call call, String upstreamName) {
        return send(call, upstreamName, HttpResponse.BodyHandlers.ofPublisher());
    }

    /** Sends {@code call} and reads the whole response. */
    public HttpResponse<byte[]> exchange(Call call, String upstreamName) {
        return send(call, upstreamName, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * The token {@code service} verifies, for {@code caller}: its audience the service, reused while more than half its
     * lifetime is left.
     */
    public String mintToken(String service, KeyContext caller) {
        String key = service
                + '\n'
                + caller.key().idString()
                + '\n'
                + caller.key().tenant()
                + '\n'
                + caller.key().role();
        long now = System.nanoTime();
        MintedToken token = minted.get(key);
        if (token == null || now - token.renewAtNanos() >= 0) {
            if (minted.size() > 10_000) {
                minted.clear(); // bounded: keys come and go
            }
            token = new MintedToken(
                    tokens.issue(
                            service,
                            caller.key().idString(),
                            caller.key().tenant(),
                            caller.key().role(),
                            tokenTtl),
                    now + tokenTtl.toNanos() / 2);
            minted.put(key, token);
        }
        return token.token();
    }

    private <T> HttpResponse<T> send(Call call, String upstreamName, HttpResponse.BodyHandler<T> handler) {
        if (routers.size() > 1 && routers.isRouter(call.url())) {
            // a router replica that cannot be reached never saw the call: the next one gets it
            int[] order = routers.order();
            for (int i = 0; i < order.length - 1; i++) {
                Call moved = call.to(routers.on(order[i], call.url()));
                try {
                    return sendOnce(moved, upstreamName, handler);
                } catch (ApiException e) {
                    if (!"upstream_unreachable".equals(e.code())) {
                        throw e;
                    }
                    routers.failed(order[i], e);
                }
            }
            return sendOnce(call.to(routers.on(order[order.length - 1], call.url())), upstreamName, handler);
        }
        return sendOnce(call, upstreamName, handler);
    }

    private <T> HttpResponse<T> sendOnce(Call call, String upstreamName, HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.url())
                .timeout(settings.responseTimeout())
                .method(
                        call.method(),
                        call.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(call.body()))
                .header(ServiceTokenFilter.TOKEN_HEADER, mintToken(upstreamName, call.caller()))
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
            throw new ApiException(
                    HttpStatus.GATEWAY_TIMEOUT,
                    upstreamName + " did not answer within "
                            + settings.responseTimeout().toSeconds() + "s",
                    "upstream_timeout",
                    null);
        } catch (ConnectException e) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    upstreamName + " is unreachable at " + call.url().getHost() + ":"
                            + call.url().getPort() + "; check that it runs",
                    "upstream_unreachable",
                    null);
        } catch (IOException e) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY, upstreamName + " failed: " + e.getMessage(), "upstream_error", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "gateway is shutting down", "shutting_down", null);
        }
    }

    @PreDestroy
    void close() {
        http.close();
        pooled.close();
    }
}
