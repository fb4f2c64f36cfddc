package ai.sovereign.runtime.fastlane;

import ai.sovereign.runtime.errors.ErrorBody;
import ai.sovereign.runtime.http.HttpDate;
import ai.sovereign.runtime.metrics.HttpRequestTimer;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.requestid.RequestIds;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;

/**
 * One request the fast lane claimed, and the responder for its answer: every answer gets what the server filters
 * give Micronaut's ({@code Date}, the request id by the {@link RequestIds} rule, the {@code http.server.requests}
 * timing), and ends the connection when the request did not ask to keep it. Whole answers, streams, and OpenAI error
 * bodies. Its methods are called on the connection's event loop ({@link #onLoop}); once the answer has ended, further
 * writes are ignored.
 */
public final class FastExchange {

    private final ChannelHandlerContext ctx;
    private final FastLaneHandler<?> lane;
    private final HttpRequestTimer timer;
    private final HttpRequest head;
    private final String uri;
    private final String requestId;
    private final boolean keepAlive;
    private final long startNanos = System.nanoTime();
    private byte[] body;
    private boolean written;
    private java.util.@Nullable Map<CharSequence, CharSequence> extraHeaders;
    private boolean done;

    FastExchange(
            ChannelHandlerContext ctx, FastLaneHandler<?> lane, HttpRequestTimer timer, HttpRequest head, String uri) {
        this.ctx = ctx;
        this.lane = lane;
        this.timer = timer;
        this.head = head;
        this.uri = uri;
        this.requestId = RequestIds.accept(head.headers().get(RequestIdFilter.HEADER));
        this.keepAlive = HttpUtil.isKeepAlive(head);
    }

    /** The request's line and headers. */
    public HttpRequest head() {
        return head;
    }

    /** The request's whole body. */
    public byte[] body() {
        return body;
    }

    void body(byte[] body) {
        this.body = body;
    }

    /** The request id its answer carries: the client's when it is sane, else a fresh one. */
    public String requestId() {
        return requestId;
    }

    /** When the request's head arrived ({@link System#nanoTime}). */
    public long startNanos() {
        return startNanos;
    }

    /** The client's IP address, or null when it has none (a local channel). */
    public @Nullable String clientAddress() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : null;
    }

    /** Whether this runs on the connection's event loop. */
    public boolean inLoop() {
        return ctx.executor().inEventLoop();
    }

    /** Runs {@code task} on the connection's event loop: now when already there, else queued there. */
    public void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /** False while the client reads slower than the answer is written (the route pauses until {@link FastAnswer#writable}). */
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /** Whether the answer has ended (written whole, its stream ended). */
    public boolean done() {
        return done;
    }

    boolean written() {
        return written;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** The whole answer, {@code content} its body (released here). */
    public void respond(
            HttpResponseStatus status, CharSequence contentType, ByteBuf content, @Nullable CharSequence retryAfter) {
        if (done) {
            content.release();
            return;
        }
        done = true;
        written = true;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (retryAfter != null) {
            headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        common(headers);
        timer.record(head.method().name(), uri, status.code(), startNanos);
        last(response);
    }

    /** An error answer with {@code error} as its body ({@link ErrorBody#toJson()}). */
    public void respondError(int status, ErrorBody error, @Nullable CharSequence retryAfter) {
        respond(
                HttpResponseStatus.valueOf(status),
                HttpHeaderValues.APPLICATION_JSON,
                Unpooled.wrappedBuffer(error.toJson()),
                retryAfter);
    }

    /**
     * Writes the head of a streamed 200 answer (chunked), not yet flushed; the stream's pieces follow with
     * {@link #write} and {@link #flush}, its end with {@link #endStream}.
     *
     * @param noCache whether to tell caches not to keep it ({@code Cache-Control: no-cache})
     */
    public void startStream(CharSequence contentType, boolean noCache) {
        if (done || written) {
            return;
        }
        written = true;
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (noCache) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        }
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        common(headers);
        timer.record(head.method().name(), uri, 200, startNanos);
        ctx.write(response, ctx.voidPromise());
    }

    /** One piece of the stream (released here), sent with the next {@link #flush}. */
    public void write(ByteBuf content) {
        if (done) {
            content.release();
            return;
        }
        ctx.write(new DefaultHttpContent(content), ctx.voidPromise());
    }

    /** Sends what was written. */
    public void flush() {
        ctx.flush();
    }

    /** Ends the stream, with {@code last} (released here) as its last piece when not null. */
    public void endStream(@Nullable ByteBuf last) {
        if (done) {
            if (last != null) {
                last.release();
            }
            return;
        }
        done = true;
        if (last != null && last.isReadable()) {
            ctx.write(new DefaultHttpContent(last), ctx.voidPromise());
        } else if (last != null) {
            last.release();
        }
        last(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** A header every answer to this request carries (set before the answer starts; a later value replaces it). */
    public void header(CharSequence name, CharSequence value) {
        if (extraHeaders == null) {
            extraHeaders = new java.util.LinkedHashMap<>(2);
        }
        extraHeaders.put(name, value);
    }

    private void common(HttpHeaders headers) {
        headers.set(HttpHeaderNames.DATE, HttpDate.now()).set(RequestIdFilter.HEADER, requestId);
        if (extraHeaders != null) {
            extraHeaders.forEach(headers::set);
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** The answer's last message: written and flushed, the connection closed after it unless kept alive. */
    private void last(Object message) {
        if (keepAlive) {
            ctx.writeAndFlush(message, ctx.voidPromise());
        } else {
            ChannelFuture sent = ctx.writeAndFlush(message);
            sent.addListener(ChannelFutureListener.CLOSE);
        }
        lane.answered(this);
    }
}
