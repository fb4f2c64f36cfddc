package ai.sovereign.simulator.http;

import ai.sovereign.simulator.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP request and the channel to answer it on, either with one full response or as a chunked
 * stream. The body is copied out at once because Netty recycles the request buffer when the
 * handler returns, while the answer may be written much later from a timer.
 */
public final class HttpExchange {

    public static final String JSON = "application/json; charset=utf-8";

    private final Channel channel;
    private final HttpMethod method;
    private final String path;
    private final String query;
    private final byte[] body;
    private final boolean keepAlive;
    private boolean started;

    HttpExchange(Channel channel, FullHttpRequest request) {
        this.channel = channel;
        this.method = request.method();
        String uri = request.uri();
        int q = uri.indexOf('?');
        this.path = q < 0 ? uri : uri.substring(0, q);
        this.query = q < 0 ? "" : uri.substring(q + 1);
        this.body = ByteBufUtil.getBytes(request.content());
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    public Channel channel() {
        return channel;
    }

    public HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    public byte[] body() {
        return body;
    }

    /** Whether any part of the response (at least the headers) has been written. */
    public boolean started() {
        return started;
    }

    public void sendJson(HttpResponseStatus status, JsonNode json) {
        send(status, JSON, Unpooled.wrappedBuffer(Json.bytes(json)));
    }

    public void sendText(HttpResponseStatus status, String contentType, String text) {
        send(status, contentType, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    public void sendEmpty(HttpResponseStatus status) {
        send(status, null, Unpooled.EMPTY_BUFFER);
    }

    public void send(HttpResponseStatus status, String contentType, ByteBuf content) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        send(response);
    }

    /** Sends a complete response, adding Content-Length and the keep-alive decision. */
    public void send(FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        markConnection(response);
        started = true;
        var future = channel.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Sends the headers of a chunked streaming response. */
    public void startStream(String contentType) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        HttpUtil.setTransferEncodingChunked(response, true);
        markConnection(response);
        started = true;
        channel.writeAndFlush(response);
    }

    /** Writes one chunk; {@code flush} false lets a burst of chunks go out in one syscall. */
    public void writeChunk(ByteBuf chunk, boolean flush) {
        if (flush) {
            channel.writeAndFlush(new DefaultHttpContent(chunk));
        } else {
            channel.write(new DefaultHttpContent(chunk));
        }
    }

    public void endStream() {
        var future = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void markConnection(HttpResponse response) {
        response.headers()
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    }
}
