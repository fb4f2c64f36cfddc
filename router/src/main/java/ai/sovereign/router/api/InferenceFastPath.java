package ai.sovereign.router.api;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import ai.sovereign.router.fleet.FleetRegistry;
import ai.sovereign.router.forward.ClientContext;
import ai.sovereign.router.forward.Endpoint;
import ai.sovereign.router.forward.InferenceRequest;
import ai.sovereign.router.forward.InferenceRequestParser;
import ai.sovereign.router.forward.RequestForwarder;
import ai.sovereign.router.forward.RoutingRefusedException;
import ai.sovereign.router.queue.Priority;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.http.HttpDate;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.SecuritySettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The data plane without Micronaut's request pipeline: a Netty handler, placed on every HTTP/1.1 connection just in
 * front of Micronaut's own, serves {@code POST /v1/chat/completions}, {@code /v1/completions} and
 * {@code /v1/embeddings} itself and passes everything else on. It does what the controller and the server filters do
 * for these routes (request id, service token of the gateway, OpenAI error bodies, {@code Retry-After},
 * {@code http.server.requests} timing), and writes the server's SSE frames straight to the client's connection: one
 * write per frame, one flush per piece of the server's stream, the connection's writability as backpressure, the
 * connection's end as the client going away. This saves the per-request routing, filter and reactive plumbing and
 * the per-token hops through Reactor and Micronaut's response streaming, which were most of the router's CPU.
 *
 * <p>Requests it does not serve go to Micronaut unchanged: other paths and methods, HTTP/1.0, {@code Expect},
 * compressed bodies, protected paths (the token filter runs there); the {@link InferenceController} serves those
 * inference requests the same way. A pipelining client's requests are answered in order: requests behind a
 * fast-path answer wait for it, an inference request behind one Micronaut owes waits for that.
 * {@code router.fast-path.enabled: false} turns it off.
 */
@Singleton
public class InferenceFastPath {

    static final String HANDLER_NAME = "router-inference-fast-path";

    private final InferenceRequestParser parser;
    private final RequestForwarder forwarder;
    private final FleetRegistry fleet;
    private final ClientContexts clients;
    private final SecuritySettings security;
    private final MeterRegistry meters;
    private final JsonMapper json;
    private final int maxRequestSize;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Counter served;

    public InferenceFastPath(InferenceRequestParser parser, RequestForwarder forwarder, FleetRegistry fleet,
                             ClientContexts clients, SecuritySettings security, MeterRegistry meters, JsonMapper json,
                             @Value("${micronaut.server.max-request-size:10485760}") long maxRequestSize) {
        this.parser = parser;
        this.forwarder = forwarder;
        this.fleet = fleet;
        this.clients = clients;
        this.security = security;
        this.meters = meters;
        this.json = json;
        this.maxRequestSize = (int) Math.min(Integer.MAX_VALUE - 8, maxRequestSize);
        this.served = Counter.builder("orchestrator.fast.path.requests")
                .description("Inference requests served by the Netty fast path (the rest went through Micronaut)")
                .register(meters);
    }

    /** A handler for one connection. */
    ChannelDuplexHandler newHandler() {
        return new Connection();
    }

    /** The endpoint {@code request} is for, when this path serves it; null when Micronaut should. */
    private Endpoint served(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method()) || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                || request.decoderResult().isFailure()) {
            return null;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Endpoint endpoint = switch (path) {
            case "/v1/chat/completions" -> Endpoint.CHAT;
            case "/v1/completions" -> Endpoint.COMPLETIONS;
            case "/v1/embeddings" -> Endpoint.EMBEDDINGS;
            default -> null;
        };
        if (endpoint == null) {
            return null;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.EXPECT) || headers.contains(HttpHeaderNames.CONTENT_ENCODING)) {
            return null;
        }
        for (String prefix : security.protectedPaths()) {
            if (path.startsWith(prefix)) {
                return null;
            }
        }
        return endpoint;
    }

    /** The controller's check, shared: a model no server of the fleet holds is a 404 naming those that exist. */
    static void requireKnown(FleetRegistry fleet, InferenceRequest request) {
        if (!fleet.knows(request.model())) {
            var models = fleet.modelIndex().keySet();
            throw new ApiException(HttpStatus.NOT_FOUND, "model '" + request.model() + "' is not served by any server "
                    + "of the fleet; models: " + (models.isEmpty() ? "none" : String.join(", ", models)),
                    "model_not_found", "model");
        }
    }

    private void timed(Endpoint endpoint, int status, long startNanos) {
        timers.computeIfAbsent(endpoint.path() + " " + status, key -> Timer.builder("http.server.requests")
                        .description("HTTP requests served")
                        .tag("method", "POST")
                        .tag("uri", endpoint.path())
                        .tag("status", Integer.toString(status))
                        .publishPercentileHistogram(false)
                        .register(meters))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private byte[] errorBody(ApiException error) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", error.getMessage())
                .put("type", ErrorBody.typeFor(error.status().getCode()))
                .put("code", error.code())
                .put("param", error.param());
        return json.writeValueAsBytes(body);
    }

    /** The fast path on one connection; every method runs on the connection's event loop. */
    private final class Connection extends ChannelDuplexHandler {

        private ChannelHandlerContext ctx;
        /** Requests handed to Micronaut whose answer has not ended yet. */
        private int micronautOwes;
        /** The request being read (its body arriving), or being answered; null when idle. */
        private Exchange active;
        /** An inference request waits for Micronaut's answers to the requests before it (a pipelining client). */
        private boolean waitingForMicronaut;
        private boolean replaying;
        /** Messages that arrived while {@link #active} was being answered (a pipelining client). */
        private final ArrayDeque<Object> held = new ArrayDeque<>();

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (active != null || waitingForMicronaut) {
                if (active != null && active.reading && msg instanceof HttpContent content) {
                    active.append(content);
                } else {
                    hold(msg);
                }
                return;
            }
            if (msg instanceof HttpRequest request) {
                Endpoint endpoint = served(request);
                if (endpoint == null) {
                    micronautOwes++;
                    ctx.fireChannelRead(msg);
                    return;
                }
                if (micronautOwes > 0) {
                    // Pipelined behind an answer Micronaut still owes: wait for it, to answer in order.
                    waitingForMicronaut = true;
                    hold(msg);
                    return;
                }
                served.increment();
                active = new Exchange(endpoint, request);
                if (msg instanceof HttpContent content) {
                    active.append(content);
                }
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            // Micronaut's answers pass here on their way out: count the ends.
            if (msg instanceof LastHttpContent || msg instanceof FullHttpResponse) {
                if (!(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)
                        && micronautOwes > 0) {
                    micronautOwes--;
                    if (micronautOwes == 0 && waitingForMicronaut) {
                        ctx.executor().execute(() -> {
                            waitingForMicronaut = false;
                            replay();
                        });
                    }
                }
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Exchange exchange = active;
            if (exchange != null && exchange.stream != null && ctx.channel().isWritable()) {
                exchange.stream.demand();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent && active != null) {
                return; // an answer in progress (queued, or streaming): not idle, whatever Micronaut thinks
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange exchange = active;
            if (exchange != null) {
                exchange.clientGone();
            }
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }

        /** Keeps {@code msg} for later; during a replay it was just taken from the head, so it goes back there. */
        private void hold(Object msg) {
            if (replaying) {
                held.addFirst(msg);
            } else {
                held.add(msg);
            }
        }

        /** The answer ended: next request, if one is waiting. */
        private void ended(Exchange exchange, boolean keepAlive) {
            if (active != exchange) {
                return;
            }
            active = null;
            if (!keepAlive) {
                held.forEach(ReferenceCountUtil::release);
                held.clear();
                return;
            }
            replay();
        }

        /** Goes on with the messages held back, until one of them has to wait again. */
        private void replay() {
            if (replaying || held.isEmpty() || !ctx.channel().isActive()) {
                return;
            }
            replaying = true;
            try {
                while (!held.isEmpty() && !waitingForMicronaut && (active == null || active.reading)) {
                    channelRead(ctx, held.poll());
                }
            } finally {
                replaying = false;
            }
            // What went on to Micronaut went outside a read: it flushes its answers and reads on when a read completes.
            ctx.fireChannelReadComplete();
        }

        /** One request on this path, from its first line to the end of its answer. */
        private final class Exchange implements RequestForwarder.StreamSink {

            final Endpoint endpoint;
            final HttpRequest request;
            final long startNanos = System.nanoTime();
            final boolean keepAlive;
            boolean reading = true;
            byte[] body;
            int length;
            boolean tooLarge;
            String requestId;
            RequestForwarder.StreamControl stream;
            CompletableFuture<byte[]> whole;
            boolean headersSent;
            boolean done;

            Exchange(Endpoint endpoint, HttpRequest request) {
                this.endpoint = endpoint;
                this.request = request;
                this.keepAlive = HttpUtil.isKeepAlive(request);
                long declared = HttpUtil.getContentLength(request, -1L);
                this.body = new byte[(int) Math.max(0, Math.min(declared < 0 ? 1024 : declared, maxRequestSize))];
            }

            void append(HttpContent content) {
                try {
                    ByteBuf bytes = content.content();
                    int n = bytes.readableBytes();
                    if (!tooLarge && length + (long) n > maxRequestSize) {
                        tooLarge = true;
                    }
                    if (!tooLarge && n > 0) {
                        if (length + n > body.length) {
                            body = Arrays.copyOf(body, Math.min(maxRequestSize, Math.max(length + n, body.length * 2)));
                        }
                        bytes.getBytes(bytes.readerIndex(), body, length, n);
                        length += n;
                    }
                } finally {
                    ReferenceCountUtil.release(content);
                }
                if (content instanceof LastHttpContent) {
                    reading = false;
                    dispatch();
                }
            }

            private void dispatch() {
                requestId = ClientContexts.requestId(request.headers().get(RequestIdFilter.HEADER));
                if (tooLarge) {
                    respond(new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "the request body is larger than "
                            + maxRequestSize + " bytes (micronaut.server.max-request-size)", "request_too_large", null));
                    return;
                }
                MDC.put(RequestIdFilter.MDC_KEY, requestId);
                try {
                    byte[] bytes = length == body.length ? body : Arrays.copyOf(body, length);
                    HttpHeaders headers = request.headers();
                    InferenceRequest inference = parser.parse(endpoint, bytes, Priority.parse(headers.get(Priority.HEADER)));
                    requireKnown(fleet, inference);
                    ClientContext client = clients.of(headers::get, requestId);
                    if (inference.stream()) {
                        stream = forwarder.stream(inference, client, this);
                        if (done) {
                            stream = null;
                        }
                    } else {
                        whole = forwarder.answer(inference, client);
                        whole.whenComplete((answer, error) -> onLoop(() -> answered(answer, error)));
                    }
                } catch (ApiException e) {
                    respond(e);
                } catch (RuntimeException e) {
                    respond(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage(),
                            "internal_error", null));
                } finally {
                    MDC.remove(RequestIdFilter.MDC_KEY);
                }
            }

            private void answered(byte[] answer, Throwable error) {
                if (done) {
                    return;
                }
                if (error == null) {
                    respond(HttpResponseStatus.OK, "application/json", answer, null);
                    return;
                }
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof CancellationException) {
                    return;
                }
                respond(cause instanceof ApiException api ? api : new ApiException(HttpStatus.BAD_GATEWAY,
                        "forwarding failed: " + cause.getMessage(), "upstream_error", null));
            }

            private void respond(ApiException error) {
                long retryAfter = error instanceof RoutingRefusedException refused ? refused.retryAfterSeconds() : 0;
                respond(HttpResponseStatus.valueOf(error.status().getCode()), "application/json", errorBody(error),
                        retryAfter > 0 ? Long.toString(retryAfter) : null);
            }

            private void respond(HttpResponseStatus status, String contentType, byte[] content, String retryAfter) {
                if (done) {
                    return;
                }
                done = true;
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                        Unpooled.wrappedBuffer(content));
                HttpHeaders headers = response.headers();
                headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
                headers.set(HttpHeaderNames.DATE, HttpDate.now());
                headers.set(RequestIdFilter.HEADER, requestId);
                if (retryAfter != null) {
                    headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
                }
                boolean keep = keepAlive && !tooLarge;
                if (!keep) {
                    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                timed(endpoint, status.code(), startNanos);
                if (keep) {
                    ctx.writeAndFlush(response, ctx.voidPromise());
                } else {
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                }
                ended(this, keep);
            }

            /** Runs {@code task} on the connection's loop (upstream callbacks may come from another loop or the timer). */
            private void onLoop(Runnable task) {
                if (ctx.executor().inEventLoop()) {
                    task.run();
                } else {
                    ctx.executor().execute(task);
                }
            }

            // The stream's frames (RequestForwarder.StreamSink).

            @Override
            public void next(byte[] frame) {
                if (!ctx.executor().inEventLoop()) {
                    ctx.executor().execute(() -> next(frame));
                    return;
                }
                if (done) {
                    return;
                }
                if (!headersSent) {
                    headersSent = true;
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpHeaders headers = response.headers();
                    headers.set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
                    headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
                    headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    headers.set(HttpHeaderNames.DATE, HttpDate.now());
                    headers.set(RequestIdFilter.HEADER, requestId);
                    if (!keepAlive) {
                        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    }
                    timed(endpoint, 200, startNanos);
                    ctx.write(response, ctx.voidPromise());
                }
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(frame)), ctx.voidPromise());
            }

            @Override
            public void flush() {
                if (!ctx.executor().inEventLoop()) {
                    ctx.executor().execute(this::flush);
                    return;
                }
                ctx.flush();
            }

            @Override
            public void complete() {
                if (!ctx.executor().inEventLoop()) {
                    ctx.executor().execute(this::complete);
                    return;
                }
                if (done) {
                    return;
                }
                done = true;
                if (!headersSent) {
                    // Cannot happen (the forwarder completes only after a frame); answer something well-formed.
                    done = false;
                    respond(HttpResponseStatus.BAD_GATEWAY, "application/json", errorBody(new ApiException(
                            HttpStatus.BAD_GATEWAY, "the stream ended without an answer", "upstream_error", null)), null);
                    return;
                }
                if (keepAlive) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
                } else {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                }
                ended(this, keepAlive);
            }

            @Override
            public void fail(ApiException error) {
                onLoop(() -> {
                    if (headersSent) {
                        complete();
                    } else {
                        respond(error);
                    }
                });
            }

            @Override
            public boolean wantsMore() {
                return ctx.channel().isWritable();
            }

            /** The connection closed before the answer ended: the forwarder cancels upstream and frees the slot. */
            void clientGone() {
                if (done) {
                    return;
                }
                done = true;
                active = null;
                if (stream != null) {
                    stream.cancel();
                }
                if (whole != null) {
                    whole.cancel(false);
                }
            }
        }
    }
}
