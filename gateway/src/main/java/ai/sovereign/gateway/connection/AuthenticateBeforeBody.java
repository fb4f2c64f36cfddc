package ai.sovereign.gateway.connection;

import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.errors.GatewayErrorHandler;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.requestid.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Authenticates a request that carries a body from its head alone, before the body is read: a request to the key
 * protected routes ({@code /v1/}, {@code /api/}, {@code /admin/}) whose key is not already in the lookup cache waits,
 * with reading paused (the reads asked for from behind are held back), while the key is looked up on the blocking
 * pool. A refused key gets its 401 (or 429 past the
 * per-address failure limit) at once, with {@code Connection: close}, and the body is never read. A known key costs
 * one cache look-up on the event loop; the request then goes on unchanged and its controller authenticates it again
 * from the cache.
 */
final class AuthenticateBeforeBody extends ChannelDuplexHandler {

    private static final String[] PROTECTED = {"/v1/", "/api/", "/admin/"};

    private final RequestAuthenticator authenticator;
    private final GatewayMetrics metrics;
    private final Executor blocking;
    /** Messages read while a look-up runs, the checked request's head first. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    private boolean checking;
    private boolean refused;
    /** A read the handlers behind asked for while a look-up ran; issued once it is decided. */
    private boolean readWanted;

    AuthenticateBeforeBody(RequestAuthenticator authenticator, GatewayMetrics metrics, Executor blocking) {
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else if (checking) {
            held.add(msg);
        } else {
            process(ctx, msg);
        }
    }

    private void process(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request) || !needsCheck(request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authenticator.cachedUsable(authorization)) {
            ctx.fireChannelRead(msg);
            return;
        }
        checking = true;
        held.add(msg);
        String method = request.method().name();
        String path = path(request.uri());
        String address = ctx.channel().remoteAddress() instanceof InetSocketAddress socket
                ? socket.getAddress().getHostAddress()
                : "unknown";
        String requestId = RequestIds.accept(request.headers().get(RequestIdFilter.HEADER));
        try {
            blocking.execute(() -> {
                ApiException refusal = null;
                try {
                    authenticator.authenticate(authorization, method, path, address, requestId);
                } catch (ApiException e) {
                    refusal = e;
                } catch (RuntimeException e) {
                    // the key store is down or similar: the controller answers it the usual way
                }
                ApiException outcome = refusal;
                ctx.executor().execute(() -> decided(ctx, outcome, path, requestId));
            });
        } catch (RejectedExecutionException e) {
            decided(ctx, null, path, requestId);
        }
    }

    private void decided(ChannelHandlerContext ctx, ApiException refusal, String path, String requestId) {
        checking = false;
        if (refusal != null) {
            refused = true;
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            ctx.writeAndFlush(answer(refusal, path, requestId)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // the checked head goes on as it is (its key may still not be cached: a zero cache TTL, or a store failure
        // the controller will answer); what came after it is looked at like any message
        ctx.fireChannelRead(held.poll());
        while (!checking && !held.isEmpty()) {
            process(ctx, held.poll());
        }
        // outside a read: the handlers behind (Micronaut's) act on what they got at the end of a read batch
        ctx.fireChannelReadComplete();
        if (!checking && readWanted) {
            readWanted = false;
            ctx.read();
        }
    }

    /** Reading pauses while a look-up runs (Micronaut reads on demand: its requests for more wait here). */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (checking || refused) {
            readWanted = true;
        } else {
            ctx.read();
        }
    }

    private static boolean needsCheck(HttpRequest request) {
        boolean body = HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
        if (!body) {
            return false;
        }
        String uri = request.uri();
        for (String prefix : PROTECTED) {
            if (uri.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** The answer the controller would have given, in the route's dialect, and the connection closes after it. */
    private FullHttpResponse answer(ApiException refusal, String path, String requestId) {
        metrics.refused(path, refusal.status().getCode());
        byte[] body = GatewayErrorHandler.bodyFor(path, refusal);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refusal.status().getCode()),
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(RequestIdFilter.HEADER, requestId);
        long retryAfter = GatewayErrorHandler.retryAfterSeconds(refusal);
        if (retryAfter > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        return response;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }
}
