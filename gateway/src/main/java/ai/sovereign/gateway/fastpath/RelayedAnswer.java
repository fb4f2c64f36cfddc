package ai.sovereign.gateway.fastpath;

import ai.sovereign.gateway.limits.KeyLimiter;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.gateway.openai.OpenAiDialect;
import ai.sovereign.gateway.proxy.Dialect;
import ai.sovereign.gateway.proxy.InferenceForwarder;
import ai.sovereign.gateway.proxy.UsageTally;
import ai.sovereign.gateway.upstream.UpstreamClient;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.fastlane.FastAnswer;
import ai.sovereign.runtime.fastlane.FastExchange;
import ai.sovereign.runtime.fastlane.LineDecoder;
import ai.sovereign.runtime.http.PooledHttpClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request the {@link FastPath} took: its exchange with the router, and the answer relayed to the client as the
 * ordinary path would give it (whole, streamed through the OpenAI dialect, or the router's error), the tokens charged
 * and the request metered at its end, whichever way it ends.
 */
final class RelayedAnswer implements PooledHttpClient.Listener, FastAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(RelayedAnswer.class);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** The most a whole answer's buffer is sized from its Content-Length up front (it grows past that if need be). */
    private static final int MAX_PRESIZE = 1 << 20;

    /** What every relayed answer works with. */
    record Relay(InferenceForwarder forwarder, UpstreamClient upstream, GatewayMetrics metrics, JsonMapper serde) {}

    private enum Mode {
        WAITING,
        WHOLE,
        ERROR,
        STREAM,
        DONE
    }

    private final Relay relay;
    private final FastExchange exchange;
    private final FastPath.Endpoint endpoint;
    private final InferenceForwarder.Call call;
    private final KeyLimiter.Lease lease;
    private final UsageTally tally = new UsageTally();
    private final AtomicBoolean ended = new AtomicBoolean();
    private UpstreamClient.Call upstreamCall;
    private PooledHttpClient.Exchange routerCall;
    private Mode mode = Mode.WAITING;
    private int status;
    private @Nullable String retryAfter;
    private ByteArrayOutputStream collected;
    private Collected whole;
    private Dialect.StreamTranslator translator;
    private LineDecoder lines;

    RelayedAnswer(
            Relay relay,
            FastExchange exchange,
            FastPath.Endpoint endpoint,
            InferenceForwarder.Call call,
            KeyLimiter.Lease lease) {
        this.relay = relay;
        this.exchange = exchange;
        exchange.header(ai.sovereign.gateway.auth.PriorityCap.APPLIED_HEADER, call.priority());
        this.endpoint = endpoint;
        this.call = call;
        this.lease = lease;
    }

    /** A whole answer as it arrives: one array, no copies beyond the one out of the router's buffers. */
    private static final class Collected {
        byte[] data;
        int size;

        Collected(int expected) {
            data = new byte[Math.max(expected, 256)];
        }

        void append(ByteBuf content) {
            int readable = content.readableBytes();
            if (size + readable > data.length) {
                data = Arrays.copyOf(data, Math.max(size + readable, data.length * 2));
            }
            content.readBytes(data, size, readable);
            size += readable;
        }
    }

    void start() {
        relay.metrics().started();
        try {
            upstreamCall = new UpstreamClient.Call(
                    endpoint.upstream(),
                    "POST",
                    InferenceForwarder.upstreamBody(call),
                    MediaType.APPLICATION_JSON,
                    call.stream() ? "text/event-stream" : MediaType.APPLICATION_JSON,
                    call.caller(),
                    call.priority());
            routerCall = relay.upstream().sendPooled(upstreamCall, this);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void onHeaders(HttpResponse response) {
        int code = response.status().code();
        String retry = response.headers().get(HttpHeaderNames.RETRY_AFTER);
        int length = (int) Math.min(MAX_PRESIZE, Math.max(0, HttpUtil.getContentLength(response, 0L)));
        exchange.onLoop(() -> headers(code, retry, length));
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
            lines = new LineDecoder();
            exchange.startStream(OpenAiDialect.INSTANCE.streamContentType(), false);
            exchange.flush();
        }
    }

    @Override
    public void onContent(ByteBuf content) {
        if (mode == Mode.WHOLE && exchange.inLoop()) {
            whole.append(content); // straight from the router's buffer (the usual case: one loop)
            return;
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        exchange.onLoop(() -> content(bytes));
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
                try {
                    lines.feedText(bytes, line -> out.writeBytes(translator.onLine(line)));
                } catch (IllegalStateException e) { // a line past the decoder's bound: the router's stream is broken
                    routerCall.cancel();
                    failed(e);
                    return;
                }
                if (out.size() > 0) {
                    exchange.write(Unpooled.wrappedBuffer(out.toByteArray()));
                    exchange.flush();
                    if (!exchange.isWritable() && routerCall != null) {
                        routerCall.pause(); // the client reads slower than the router writes
                    }
                }
            }
            default -> {}
        }
    }

    @Override
    public void onComplete() {
        exchange.onLoop(this::complete);
    }

    private void complete() {
        switch (mode) {
            case WHOLE -> {
                OpenAiDialect.INSTANCE.meterComplete(whole.data, whole.size, tally); // passed on unchanged
                finish(status);
                respond(status, Unpooled.wrappedBuffer(whole.data, 0, whole.size), null);
            }
            case ERROR -> {
                byte[] error = collected.toByteArray();
                finish(status);
                respond(
                        status,
                        Unpooled.wrappedBuffer(
                                error.length > 0
                                        ? error
                                        : ErrorBody.of(
                                                        "router answered " + status,
                                                        ErrorBody.typeFor(status),
                                                        "upstream_error",
                                                        null)
                                                .toJson()),
                        retryAfter);
            }
            case STREAM -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                lines.finishText(line -> out.writeBytes(translator.onLine(line)));
                out.writeBytes(translator.onEnd());
                finish(200);
                endStream(out.toByteArray());
            }
            default -> {}
        }
    }

    @Override
    public void onError(Throwable error) {
        exchange.onLoop(() -> failed(error));
    }

    private void failed(Throwable error) {
        switch (mode) {
            case STREAM -> {
                LOG.warn("stream from the router broke off: {}", error.toString());
                finish(502);
                endStream(translator.onFailure("the upstream stream broke off: " + error.getMessage()));
            }
            case ERROR -> complete(); // what came of the error body
            case WAITING, WHOLE -> {
                ApiException failure = error instanceof ApiException api
                        ? api
                        : upstreamCall == null
                                ? new ApiException(
                                        HttpStatus.BAD_GATEWAY,
                                        "router failed: " + error.getMessage(),
                                        "upstream_error",
                                        null)
                                : relay.upstream().failure(error, upstreamCall, "router");
                int code = failure.status().getCode();
                finish(code);
                relay.metrics().refused(endpoint.path(), code);
                respond(
                        code,
                        Unpooled.wrappedBuffer(errorBody(ErrorBody.of(
                                failure.getMessage(), ErrorBody.typeFor(code), failure.code(), failure.param()))),
                        null);
            }
            default -> {}
        }
    }

    /** An error body serialised as Micronaut serialises it on the ordinary path (no null fields). */
    private byte[] errorBody(ErrorBody error) {
        try {
            return relay.serde().writeValueAsBytes(error);
        } catch (java.io.IOException e) {
            return error.toJson();
        }
    }

    /** The client went away: the router's exchange is cancelled (which tells the router), the request ends 499. */
    @Override
    public void clientGone() {
        if (mode == Mode.DONE) {
            return;
        }
        mode = Mode.DONE;
        if (routerCall != null) {
            routerCall.cancel();
        }
        finish(499);
    }

    @Override
    public void writable() {
        if (mode == Mode.STREAM && routerCall != null) {
            routerCall.resume();
        }
    }

    private void finish(int code) {
        relay.forwarder().end(call, lease, tally, code, ended);
    }

    private void respond(int code, ByteBuf body, @Nullable String retry) {
        mode = Mode.DONE;
        exchange.respond(HttpResponseStatus.valueOf(code), HttpHeaderValues.APPLICATION_JSON, body, retry);
    }

    private void endStream(byte[] last) {
        mode = Mode.DONE;
        exchange.endStream(last.length > 0 ? Unpooled.wrappedBuffer(last) : null);
    }
}
