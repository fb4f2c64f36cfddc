package ai.sovereign.gateway.proxy;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.ModelPolicy;
import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.keys.ApiKey;
import ai.sovereign.gateway.keys.KeyService;
import ai.sovereign.gateway.limits.KeyLimiter;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.gateway.openai.OpenAiDialect;
import ai.sovereign.gateway.openai.OpenAiRequests;
import ai.sovereign.gateway.upstream.UpstreamClient;
import ai.sovereign.gateway.upstream.UpstreamSettings;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.http.HttpDate;
import ai.sovereign.runtime.http.PooledHttpClient;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's fast path for the common inference request, served in the Netty pipeline without Micronaut's request
 * pipeline (routing, filters, body binding, reactive response writing): {@code POST /v1/chat/completions},
 * {@code /v1/completions} and {@code /v1/embeddings} with a small JSON body, a key in the lookup cache, its month of
 * usage in memory, a valid request for a model the key may use, and limits that admit it. Such a request is
 * authenticated, admitted, forwarded to the router (the client's bytes, as {@link InferenceForwarder} sends them) and
 * answered here: whole, or streamed chunk by chunk; tokens charged, metrics and request id as on the ordinary path.
 *
 * <p>Everything else — any refusal, error, first use of a key, another route, the Ollama dialect, anything unusual
 * about the request's framing — is handed to Micronaut unchanged ({@link FastPathHandler}), so those answers are the
 * ordinary path's, audited and counted there. {@code gateway.fast-path.enabled=false} turns the fast path off.
 */
@Singleton
public class FastPath {

    private static final Logger LOG = LoggerFactory.getLogger(FastPath.class);
    /** Bodies up to this size (and {@code micronaut.server.max-request-size}) are collected by the fast path. */
    static final int MAX_BODY = 256 * 1024;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** One inference route the fast path serves. */
    record Endpoint(String path, BodyScan.Kind kind, Function<ObjectNode, String> validate, URI upstream) {
    }

    private final Map<String, Endpoint> endpoints;
    private final KeyService keys;
    private final KeyLimiter limiter;
    private final InferenceForwarder forwarder;
    private final UpstreamClient upstream;
    private final GatewayMetrics metrics;
    private final JsonMapper serde;
    private final MeterRegistry registry;
    private final boolean enabled;
    private final long maxBody;
    private final Counter served;
    private final Counter passed;
    private final Map<Integer, Timer> httpTimers = new ConcurrentHashMap<>();

    public FastPath(KeyService keys, KeyLimiter limiter, InferenceForwarder forwarder, UpstreamClient upstream,
                    UpstreamSettings settings, GatewayMetrics metrics, MeterRegistry registry, JsonMapper serde,
                    HttpServerConfiguration server, @Value("${gateway.fast-path.enabled:true}") boolean enabled) {
        this.keys = keys;
        this.limiter = limiter;
        this.forwarder = forwarder;
        this.upstream = upstream;
        this.metrics = metrics;
        this.serde = serde;
        this.registry = registry;
        this.enabled = enabled;
        this.maxBody = Math.min(MAX_BODY, server.getMaxRequestSize());
        this.endpoints = Map.of(
                "/v1/chat/completions", new Endpoint("/v1/chat/completions", BodyScan.Kind.CHAT, OpenAiRequests::chat,
                        URI.create(settings.router() + "/v1/chat/completions")),
                "/v1/completions", new Endpoint("/v1/completions", BodyScan.Kind.COMPLETION, OpenAiRequests::completion,
                        URI.create(settings.router() + "/v1/completions")),
                "/v1/embeddings", new Endpoint("/v1/embeddings", BodyScan.Kind.EMBEDDING, OpenAiRequests::embedding,
                        URI.create(settings.router() + "/v1/embeddings")));
        this.served = Counter.builder("gateway.fast.path").tag("outcome", "served")
                .description("inference requests answered by the Netty fast path (served) or handed to the ordinary "
                        + "path after their body was read (passed: a refusal, an error or a key not yet cached)")
                .register(registry);
        this.passed = Counter.builder("gateway.fast.path").tag("outcome", "passed")
                .description("inference requests answered by the Netty fast path (served) or handed to the ordinary "
                        + "path after their body was read (passed: a refusal, an error or a key not yet cached)")
                .register(registry);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The route of {@code request} when the fast path may take it, judged on its headers alone: a POST to one of the
     * inference routes over HTTP/1.1, kept alive, a JSON body of known, small length, no Expect, no transfer or
     * content encoding, a bearer key. Null otherwise (Micronaut serves it).
     */
    @Nullable Endpoint endpointFor(HttpRequest request) {
        if (!enabled || !request.decoderResult().isSuccess() || !HttpMethod.POST.equals(request.method())
                || request.protocolVersion() != HttpVersion.HTTP_1_1) {
            return null;
        }
        Endpoint endpoint = endpoints.get(request.uri());
        if (endpoint == null) {
            return null;
        }
        HttpHeaders headers = request.headers();
        if (!HttpUtil.isKeepAlive(request) || headers.contains(HttpHeaderNames.EXPECT)
                || headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.CONTENT_ENCODING)) {
            return null;
        }
        long length = contentLength(headers);
        if (length <= 0 || length > maxBody) {
            return null;
        }
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.regionMatches(true, 0, "application/json", 0, 16)) {
            return null;
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return endpoint;
    }

    /** The single Content-Length, or -1 when absent, repeated or not a number. */
    private static long contentLength(HttpHeaders headers) {
        java.util.List<String> values = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (values.size() != 1) {
            return -1;
        }
        try {
            return Long.parseLong(values.getFirst().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Serves {@code request} with its whole {@code body} when everything is in order, writing the answer to
     * {@code ctx}; null when the ordinary path must (nothing was consumed, counted or audited then).
     */
    @Nullable Answer serve(ChannelHandlerContext ctx, FastPathHandler handler, Endpoint endpoint, HttpRequest request,
                           byte[] body, long startNanos) {
        Answer answer = admit(ctx, handler, endpoint, request, body, startNanos);
        if (answer == null) {
            passed.increment();
            return null;
        }
        served.increment();
        answer.start();
        return answer;
    }

    private @Nullable Answer admit(ChannelHandlerContext ctx, FastPathHandler handler, Endpoint endpoint,
                                   HttpRequest request, byte[] body, long startNanos) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        ApiKey key = keys.cachedUsable(authorization.substring(7).trim());
        if (key == null || !limiter.admitsWithoutBlocking(key)) {
            return null;
        }
        ObjectNode json;
        String model;
        boolean stream;
        boolean wantsUsage;
        BodyScan.Fields fields = BodyScan.scan(body, endpoint.kind());
        if (fields != null) {
            // checked without a tree; the tree is needed only to rewrite stream_options, which the scan leaves out
            json = JsonBodies.MAPPER.createObjectNode();
            model = fields.model();
            stream = fields.stream();
            wantsUsage = fields.wantsUsage();
        } else {
            try {
                json = JsonBodies.parseObject(body);
                model = endpoint.validate().apply(json);
                stream = JsonBodies.optionalBoolean(json, "stream", false);
                wantsUsage = OpenAiRequests.wantsUsage(json);
            } catch (ApiException e) {
                return null;    // the ordinary path answers the 400
            }
        }
        if (!ModelPolicy.allows(key.allowedModels(), model)) {
            return null;    // the ordinary path answers (and audits) the 403
        }
        KeyContext caller = new KeyContext(key, requestId(request.headers().get(RequestIdFilter.HEADER)),
                address(ctx.channel().remoteAddress()));
        KeyLimiter.Lease lease = limiter.tryAdmit(caller);
        if (lease == null) {
            return null;    // the ordinary path answers (and audits) the 429
        }
        InferenceForwarder.Call call = new InferenceForwarder.Call(caller, endpoint.path(), endpoint.path(), json, body,
                model, stream, wantsUsage, request.headers().get(UpstreamClient.PRIORITY_HEADER),
                startNanos);
        return new Answer(ctx, handler, endpoint, call, lease);
    }

    /** The client's request id when it is sane (as {@link RequestIdFilter} judges), a fresh random UUID otherwise. */
    static String requestId(@Nullable String presented) {
        if (presented != null && saneRequestId(presented)) {
            return presented;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;                          // version 4
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;  // IETF variant
        return new UUID(most, least).toString();
    }

    /** {@code [A-Za-z0-9._:-]{1,128}}, {@link RequestIdFilter}'s rule, without a regular expression. */
    static boolean saneRequestId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    /** An error body serialised as Micronaut serialises it on the ordinary path. */
    private byte[] errorBody(ErrorBody error) {
        try {
            return serde.writeValueAsBytes(error);
        } catch (java.io.IOException e) {
            return JsonBodies.MAPPER.writeValueAsBytes(error);
        }
    }

    /** {@code http_server_requests_seconds}, as the common runtime's filter records it for the ordinary path. */
    private void recordHttp(String path, int status, long startNanos) {
        httpTimers.computeIfAbsent(status, s -> Timer.builder("http.server.requests").description("HTTP requests served")
                        .tag("method", "POST").tag("uri", path).tag("status", Integer.toString(s))
                        .publishPercentileHistogram(false).register(registry))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The most a whole answer's buffer is sized from its Content-Length up front (it grows past that if need be). */
    private static final int MAX_PRESIZE = 1 << 20;

    /** A whole answer as it arrives: one array, no copies beyond the one out of the router's buffers. */
    static final class Collected {
        byte[] data;
        int size;

        Collected(int expected) {
            data = new byte[Math.max(expected, 256)];
        }

        void append(ByteBuf content) {
            int readable = content.readableBytes();
            if (size + readable > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size + readable, data.length * 2));
            }
            content.readBytes(data, size, readable);
            size += readable;
        }
    }

    /** One request the fast path took: its exchange with the router and the answer written to the client. */
    final class Answer implements PooledHttpClient.Listener {

        private enum Mode { WAITING, WHOLE, ERROR, STREAM, DONE }

        private final ChannelHandlerContext ctx;
        private final FastPathHandler handler;
        private final Endpoint endpoint;
        private final InferenceForwarder.Call call;
        private final KeyLimiter.Lease lease;
        private final UsageTally tally = new UsageTally();
        private final AtomicBoolean ended = new AtomicBoolean();
        private UpstreamClient.Call upstreamCall;
        private PooledHttpClient.Exchange exchange;
        private Mode mode = Mode.WAITING;
        private int status;
        private @Nullable String retryAfter;
        private ByteArrayOutputStream collected;
        private Collected whole;
        private Dialect.StreamTranslator translator;
        private LineSplitter lines;

        Answer(ChannelHandlerContext ctx, FastPathHandler handler, Endpoint endpoint, InferenceForwarder.Call call,
               KeyLimiter.Lease lease) {
            this.ctx = ctx;
            this.handler = handler;
            this.endpoint = endpoint;
            this.call = call;
            this.lease = lease;
        }

        void start() {
            metrics.started();
            try {
                upstreamCall = new UpstreamClient.Call(endpoint.upstream(), "POST", InferenceForwarder.upstreamBody(call),
                        MediaType.APPLICATION_JSON, call.stream() ? "text/event-stream" : MediaType.APPLICATION_JSON,
                        call.caller(), call.priority());
                exchange = upstream.sendPooled(upstreamCall, this);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void onLoop(Runnable action) {
            if (ctx.executor().inEventLoop()) {
                action.run();
            } else {
                ctx.executor().execute(action);
            }
        }

        @Override
        public void onHeaders(HttpResponse response) {
            int code = response.status().code();
            String retry = response.headers().get(HttpHeaderNames.RETRY_AFTER);
            int length = (int) Math.min(MAX_PRESIZE, Math.max(0, HttpUtil.getContentLength(response, 0L)));
            onLoop(() -> headers(code, retry, length));
        }

        private void headers(int code, @Nullable String retry, int length) {
            if (mode != Mode.WAITING) {
                return;
            }
            status = code;
            retryAfter = retry;
            if (code >= 400) {
                mode = Mode.ERROR;
                collected = new ByteArrayOutputStream();
            } else if (!call.stream()) {
                mode = Mode.WHOLE;
                whole = new Collected(length);
            } else {
                mode = Mode.STREAM;
                translator = OpenAiDialect.INSTANCE.newStream(tally, call.clientWantsUsage());
                lines = new LineSplitter();
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, OpenAiDialect.INSTANCE.streamContentType())
                        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                common(head.headers());
                recordHttp(endpoint.path(), 200, call.startNanos());
                ctx.writeAndFlush(head);
            }
        }

        @Override
        public void onContent(ByteBuf content) {
            if (mode == Mode.WHOLE && ctx.executor().inEventLoop()) {
                whole.append(content);    // straight from the router's buffer (the usual case: one loop)
                return;
            }
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            onLoop(() -> content(bytes));
        }

        private void content(byte[] bytes) {
            switch (mode) {
                case WHOLE -> whole.append(Unpooled.wrappedBuffer(bytes));
                case ERROR -> {
                    if (collected.size() < MAX_ERROR_BODY) {
                        collected.writeBytes(bytes);
                    }
                }
                case STREAM -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
                    for (String line : lines.accept(bytes)) {
                        out.writeBytes(translator.onLine(line));
                    }
                    if (out.size() > 0) {
                        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(out.toByteArray())));
                        if (!ctx.channel().isWritable() && exchange != null) {
                            exchange.pause();    // the client reads slower than the router writes
                        }
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public void onComplete() {
            onLoop(this::complete);
        }

        private void complete() {
            switch (mode) {
                case WHOLE -> {
                    OpenAiDialect.INSTANCE.meterComplete(whole.data, whole.size, tally);   // passed on unchanged
                    finish(status);
                    writeWhole(HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(whole.data, 0, whole.size), null);
                }
                case ERROR -> {
                    byte[] error = collected.toByteArray();
                    finish(status);
                    writeWhole(HttpResponseStatus.valueOf(status), error.length > 0 ? error
                            : JsonBodies.MAPPER.writeValueAsBytes(ErrorBody.of("router answered " + status,
                            ErrorBody.typeFor(status), "upstream_error", null)), retryAfter);
                }
                case STREAM -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    String rest = lines.rest();
                    if (rest != null) {
                        out.writeBytes(translator.onLine(rest));
                    }
                    out.writeBytes(translator.onEnd());
                    finish(200);
                    endStream(out.toByteArray());
                }
                default -> {
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            onLoop(() -> failed(error));
        }

        private void failed(Throwable error) {
            switch (mode) {
                case STREAM -> {
                    LOG.warn("stream from the router broke off: {}", error.toString());
                    finish(502);
                    endStream(translator.onFailure("the upstream stream broke off: " + error.getMessage()));
                }
                case ERROR -> complete();    // what came of the error body
                case WAITING, WHOLE -> {
                    ApiException failure = error instanceof ApiException api ? api : upstreamCall == null
                            ? new ApiException(io.micronaut.http.HttpStatus.BAD_GATEWAY, "router failed: " + error.getMessage(),
                            "upstream_error", null)
                            : upstream.failure(error, upstreamCall, "router");
                    int code = failure.status().getCode();
                    finish(code);
                    metrics.refused(endpoint.path(), code);
                    writeWhole(HttpResponseStatus.valueOf(code), errorBody(ErrorBody.of(failure.getMessage(),
                            ErrorBody.typeFor(code), failure.code(), failure.param())), null);
                }
                default -> {
                }
            }
        }

        /** The client went away: the router's exchange is cancelled (which tells the router), the request ends 499. */
        void clientGone() {
            if (mode == Mode.DONE) {
                return;
            }
            mode = Mode.DONE;
            if (exchange != null) {
                exchange.cancel();
            }
            finish(499);
        }

        void writable() {
            if (mode == Mode.STREAM && exchange != null) {
                exchange.resume();
            }
        }

        private void finish(int code) {
            forwarder.end(call, lease, tally, code, ended);
        }

        private void common(HttpHeaders headers) {
            headers.set(RequestIdFilter.HEADER, call.caller().requestId()).set(HttpHeaderNames.DATE, HttpDate.now());
        }

        private void writeWhole(HttpResponseStatus code, byte[] body, @Nullable String retry) {
            writeWhole(code, Unpooled.wrappedBuffer(body), retry);
        }

        private void writeWhole(HttpResponseStatus code, ByteBuf body, @Nullable String retry) {
            mode = Mode.DONE;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (retry != null) {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, retry);
            }
            common(response.headers());
            recordHttp(endpoint.path(), code.code(), call.startNanos());
            ctx.writeAndFlush(response);
            handler.answered(ctx);
        }

        private void endStream(byte[] last) {
            mode = Mode.DONE;
            if (last.length > 0) {
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(last)));
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            handler.answered(ctx);
        }
    }
}
