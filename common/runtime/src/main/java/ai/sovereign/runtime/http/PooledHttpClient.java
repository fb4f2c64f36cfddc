package ai.sovereign.runtime.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.netty.channel.EventLoopGroupConfiguration;
import io.micronaut.http.netty.channel.EventLoopGroupFactory;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A small HTTP/1.1 client for forwarding requests to upstream servers, built for proxies: it runs on the event loops
 * it is given (normally the HTTP server's own), so a request issued while handling a server request is written, and
 * its answer read, on the same thread, with no hand-off; keep-alive connections are pooled per event loop and per
 * upstream address. Response bodies are passed on chunk by chunk as they arrive (never aggregated), a response's
 * reading can be paused and resumed (backpressure), and {@link Exchange#cancel()} closes the connection, which is how
 * an upstream learns that the client went away.
 *
 * <p>A pooled connection that turns out to be closed before any byte of the answer arrived (the server dropped an
 * idle connection at the moment it was reused) is replaced by a fresh one once, transparently. Connect failures
 * surface as {@link java.net.ConnectException}s, a missing answer after {@link Request#responseTimeout()} as an
 * {@link HttpTimeoutException}.
 *
 * <p>{@code https://} upstreams are spoken to over TLS (Netty's {@link SslHandler} on the JDK's provider): the server's
 * certificate must chain to a trusted root and name the host of the URL. Trusted roots are the JDK's, or those of the
 * trust store the JVM is given ({@code -Djavax.net.ssl.trustStore=... -Djavax.net.ssl.trustStorePassword=...}); a
 * failed handshake fails the exchange with an {@link IOException} saying why.
 *
 * <p>Open connections to one upstream address (over all event loops, in use or idle) are capped at
 * {@code maxConnectionsPerHost}: a request that would need one more fails at once with a
 * {@link ConnectionLimitException} naming the address, instead of opening sockets without bound when an upstream slows
 * down. Each event loop closes its pooled connections idle for longer than {@link #MAX_IDLE} every
 * {@link #REAP_INTERVAL}, so an upstream that is no longer called holds no sockets.
 */
public final class PooledHttpClient implements AutoCloseable {

    /** Idle pooled connections older than this are closed instead of reused. */
    static final Duration MAX_IDLE = Duration.ofSeconds(30);
    /** How often each event loop closes the connections of its pool that have been idle too long. */
    static final Duration REAP_INTERVAL = Duration.ofSeconds(10);
    /** Default cap of open connections to one upstream address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 1024;

    private static final AttributeKey<Call> CALL = AttributeKey.valueOf("sovereign.pooled-http.call");
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("sovereign.pooled-http.idle-since");

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final int connectTimeoutMillis;
    private final int maxConnectionsPerHost;
    private final long maxIdleNanos;
    /** Per event loop, per "host:port": idle connections, touched only on that loop (most recently used first). */
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();
    /** Per "host:port": connections open or being opened, over all event loops. */
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    private final List<ScheduledFuture<?>> reapers = new ArrayList<>();
    /** The client side of TLS for {@code https://} upstreams. */
    private final SslContext tls;

    private volatile boolean closed;

    public PooledHttpClient(
            EventLoopGroup group,
            Class<? extends SocketChannel> channelClass,
            Duration connectTimeout,
            int maxConnectionsPerHost) {
        this(group, channelClass, connectTimeout, maxConnectionsPerHost, MAX_IDLE, REAP_INTERVAL, defaultTls());
    }

    /** With the TLS client context given (a trust store of its own, for tests). */
    PooledHttpClient(
            EventLoopGroup group,
            Class<? extends SocketChannel> channelClass,
            Duration connectTimeout,
            int maxConnectionsPerHost,
            SslContext tls) {
        this(group, channelClass, connectTimeout, maxConnectionsPerHost, MAX_IDLE, REAP_INTERVAL, tls);
    }

    /** Client TLS on the JDK's provider and default trust managers (the JDK's roots, or javax.net.ssl.trustStore). */
    static SslContext defaultTls() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up client TLS: " + e.getMessage(), e);
        }
    }

    /** With the idle limit and the reaping interval given (tests). */
    PooledHttpClient(
            EventLoopGroup group,
            Class<? extends SocketChannel> channelClass,
            Duration connectTimeout,
            int maxConnectionsPerHost,
            Duration maxIdle,
            Duration reapInterval,
            SslContext tls) {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive (got " + connectTimeout + ")");
        }
        if (maxConnectionsPerHost < 1) {
            throw new IllegalArgumentException(
                    "max connections per host must be >= 1 (got " + maxConnectionsPerHost + ")");
        }
        this.group = group;
        this.channelClass = channelClass;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.maxConnectionsPerHost = maxConnectionsPerHost;
        this.maxIdleNanos = maxIdle.toNanos();
        this.tls = tls;
        for (EventExecutor executor : group) {
            if (executor instanceof EventLoop loop) {
                reapers.add(loop.scheduleAtFixedRate(
                        () -> reapIdle(loop), reapInterval.toNanos(), reapInterval.toNanos(), TimeUnit.NANOSECONDS));
            }
        }
    }

    /** A connection to an upstream address was needed while {@code max} were open already. */
    public static final class ConnectionLimitException extends IOException {

        ConnectionLimitException(String address, int max) {
            super("connection limit reached: " + max + " connections to " + address + " are open");
        }
    }

    /** Connections open (in use or idle) to {@code host:port}; for tests and diagnostics. */
    public int openConnections(String host, int port) {
        AtomicInteger count = open.get(host + ":" + port);
        return count == null ? 0 : count.get();
    }

    /**
     * A client on the HTTP server's own event loops ({@code micronaut.netty.event-loops.default}), with the socket
     * channel type the server's transport uses (NIO, epoll, ...).
     */
    public static PooledHttpClient onServerEventLoops(
            EventLoopGroupRegistry registry,
            EventLoopGroupFactory factory,
            Duration connectTimeout,
            int maxConnectionsPerHost) {
        EventLoopGroupConfiguration configuration = registry.getEventLoopGroupConfiguration(
                        EventLoopGroupConfiguration.DEFAULT)
                .orElse(null);
        return new PooledHttpClient(
                registry.getDefaultEventLoopGroup(),
                factory.clientSocketChannelClass(configuration),
                connectTimeout,
                maxConnectionsPerHost);
    }

    /**
     * One request.
     *
     * @param uri             absolute http URL (path and query are sent)
     * @param headers         extra headers ({@code Host} and {@code Content-Length} are set here)
     * @param body            the body, or null for none
     * @param responseTimeout how long to wait for the response headers
     */
    public record Request(
            URI uri,
            HttpMethod method,
            HttpHeaders headers,
            @Nullable byte[] body,
            Duration responseTimeout) {}

    /**
     * Receives one response. Every call comes on the connection's event loop, in order; after {@link #onComplete()}
     * or {@link #onError(Throwable)} (at most one of them, exactly once unless the exchange was cancelled) nothing
     * more comes. Must not block.
     */
    public interface Listener {

        /** Status and headers. */
        void onHeaders(HttpResponse response);

        /** A piece of the body; the buffer is released after the call returns (copy what you keep). */
        void onContent(ByteBuf content);

        /** The body ended. */
        void onComplete();

        /** The exchange failed: connect error, timeout before the headers, connection closed before the end. */
        void onError(Throwable error);
    }

    /** A request in flight. Methods may be called from any thread. */
    public interface Exchange {

        /** Abandons the exchange: the connection is closed (not reused) unless the response had ended already. */
        void cancel();

        /** Stops reading the response until {@link #resume()} (TCP backpressure to the server). */
        void pause();

        void resume();
    }

    /** Sends {@code request}; the event loop is the caller's when the caller runs on one of the group's loops. */
    public Exchange send(Request request, Listener listener) {
        EventLoop loop = currentLoop();
        Call call = new Call(request, listener, loop);
        if (closed) {
            listener.onError(new IOException("the HTTP client is closed"));
            return call;
        }
        if (loop.inEventLoop()) {
            call.start();
        } else {
            loop.execute(call::start);
        }
        return call;
    }

    private EventLoop currentLoop() {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop() && executor instanceof EventLoop loop) {
                return loop;
            }
        }
        return group.next();
    }

    /** The pool of an upstream: {@code host:port}, and {@code https://host:port} for TLS (never shared with plain). */
    private static String key(URI uri) {
        return (https(uri) ? "https://" : "") + uri.getHost() + ":" + port(uri);
    }

    private static boolean https(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : https(uri) ? 443 : 80;
    }

    private Channel pollIdle(EventLoop loop, String key) {
        ArrayDeque<Channel> channels =
                idle.computeIfAbsent(loop, l -> new java.util.HashMap<>()).get(key);
        if (channels == null) {
            return null;
        }
        long now = System.nanoTime();
        Channel channel;
        while ((channel = channels.pollFirst()) != null) {
            Long since = channel.attr(IDLE_SINCE).get();
            if (channel.isActive() && (since == null || now - since < maxIdleNanos)) {
                return channel;
            }
            channel.close();
        }
        return null;
    }

    private void offerIdle(EventLoop loop, String key, Channel channel) {
        if (closed || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.attr(IDLE_SINCE).set(System.nanoTime());
        ArrayDeque<Channel> channels = idle.computeIfAbsent(loop, l -> new java.util.HashMap<>())
                .computeIfAbsent(key, k -> new ArrayDeque<>());
        channels.addFirst(channel);
        // Close the stale end of the pool.
        long now = System.nanoTime();
        Channel oldest;
        while ((oldest = channels.peekLast()) != null && oldest != channel) {
            Long since = oldest.attr(IDLE_SINCE).get();
            if (oldest.isActive() && since != null && now - since < maxIdleNanos) {
                break;
            }
            channels.pollLast();
            oldest.close();
        }
    }

    private void forgetIdle(Channel channel) {
        Map<String, ArrayDeque<Channel>> byKey = idle.get((EventLoop) channel.eventLoop());
        if (byKey != null) {
            for (ArrayDeque<Channel> channels : byKey.values()) {
                channels.remove(channel);
            }
        }
    }

    /** Closes this loop's pooled connections idle for longer than the idle limit; runs on {@code loop}. */
    private void reapIdle(EventLoop loop) {
        Map<String, ArrayDeque<Channel>> byKey = idle.get(loop);
        if (byKey == null) {
            return;
        }
        long now = System.nanoTime();
        for (ArrayDeque<Channel> channels : byKey.values()) {
            for (Iterator<Channel> it = channels.iterator(); it.hasNext(); ) {
                Channel channel = it.next();
                Long since = channel.attr(IDLE_SINCE).get();
                if (!channel.isActive() || since == null || now - since >= maxIdleNanos) {
                    it.remove();
                    channel.close();
                }
            }
        }
    }

    /** Counts a connection about to be opened to {@code key}; false when the cap is reached. */
    private boolean reserve(String key) {
        AtomicInteger count = open.computeIfAbsent(key, k -> new AtomicInteger());
        while (true) {
            int current = count.get();
            if (current >= maxConnectionsPerHost) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void release(String key) {
        AtomicInteger count = open.get(key);
        if (count != null) {
            count.decrementAndGet();
        }
    }

    /** Closes the idle connections; exchanges in flight finish. The event loops are not this client's to stop. */
    @Override
    public void close() {
        closed = true;
        reapers.forEach(reaper -> reaper.cancel(false));
        idle.forEach((loop, byKey) -> loop.execute(() -> {
            byKey.values().forEach(channels -> {
                for (Iterator<Channel> it = channels.iterator(); it.hasNext(); ) {
                    it.next().close();
                    it.remove();
                }
            });
        }));
    }

    /** One exchange; its state is touched only on {@link #loop}. */
    private final class Call implements Exchange {

        final Request request;
        final Listener listener;
        final EventLoop loop;
        final String key;
        Channel channel;
        boolean reused;
        boolean retried;
        boolean headersSeen;
        boolean keepAlive;
        boolean done;
        volatile boolean paused;
        ScheduledFuture<?> timeout;

        Call(Request request, Listener listener, EventLoop loop) {
            this.request = request;
            this.listener = listener;
            this.loop = loop;
            this.key = key(request.uri());
        }

        void start() {
            if (done) {
                return;
            }
            timeout = loop.schedule(this::timedOut, request.responseTimeout().toNanos(), TimeUnit.NANOSECONDS);
            Channel pooled = pollIdle(loop, key);
            if (pooled != null) {
                reused = true;
                write(pooled);
            } else {
                connect();
            }
        }

        private void connect() {
            reused = false;
            if (!reserve(key)) {
                fail(new ConnectionLimitException(key, maxConnectionsPerHost));
                return;
            }
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(channelClass)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            URI uri = request.uri();
                            if (https(uri)) {
                                SslHandler ssl = tls.newHandler(ch.alloc(), uri.getHost(), port(uri));
                                SSLParameters parameters = ssl.engine().getSSLParameters();
                                parameters.setEndpointIdentificationAlgorithm(
                                        "HTTPS"); // the certificate names the host
                                ssl.engine().setSSLParameters(parameters);
                                ch.pipeline().addLast(ssl);
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new ResponseHandler());
                        }
                    });
            ChannelFuture connecting = bootstrap.connect(request.uri().getHost(), port(request.uri()));
            // the count covers the connection from now until its channel closes, whatever happens in between
            connecting.channel().closeFuture().addListener(closedChannel -> release(key));
            connecting.addListener((ChannelFuture connected) -> {
                if (!connected.isSuccess()) {
                    fail(connected.cause());
                } else if (done) {
                    connected.channel().close();
                } else {
                    write(connected.channel());
                }
            });
        }

        private void write(Channel ch) {
            channel = ch;
            ch.attr(CALL).set(this);
            ch.config().setAutoRead(!paused);
            URI uri = request.uri();
            String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                target += "?" + uri.getRawQuery();
            }
            byte[] body = request.body();
            DefaultFullHttpRequest http = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1,
                    request.method(),
                    target,
                    body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            http.headers().set(request.headers());
            http.headers()
                    .set(HttpHeaderNames.HOST, uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
            if (body != null
                    || request.method().equals(HttpMethod.POST)
                    || request.method().equals(HttpMethod.PUT)) {
                http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
            }
            ch.writeAndFlush(http).addListener(written -> {
                if (!written.isSuccess()) {
                    connectionLost(ch, written.cause());
                }
            });
        }

        void onResponse(HttpResponse response) {
            if (done) {
                return;
            }
            headersSeen = true;
            cancelTimeout();
            keepAlive = HttpUtil.isKeepAlive(response);
            listener.onHeaders(response);
        }

        void onContent(HttpContent content) {
            if (done) {
                return;
            }
            if (content.content().isReadable()) {
                listener.onContent(content.content());
            }
            if (content instanceof LastHttpContent && !done) {
                done = true;
                Channel ch = channel;
                ch.attr(CALL).set(null);
                if (keepAlive && !closed) {
                    ch.config().setAutoRead(true);
                    offerIdle(loop, key, ch);
                } else {
                    ch.close();
                }
                listener.onComplete();
            }
        }

        /** The connection broke (closed, reset, unreadable answer) while this exchange used it. */
        void connectionLost(Channel ch, Throwable cause) {
            if (done || ch != channel) {
                return;
            }
            ch.attr(CALL).set(null);
            ch.close();
            if (reused && !headersSeen && !retried) {
                // A pooled connection the server had already given up on: once more on a fresh one.
                retried = true;
                channel = null;
                connect();
                return;
            }
            fail(tlsFailure(cause));
        }

        /** A TLS failure (untrusted certificate, wrong host name, ...) says so; anything else as it is. */
        private Throwable tlsFailure(Throwable cause) {
            Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            return root instanceof SSLException
                    ? new IOException("TLS handshake failed: " + root.getMessage(), root)
                    : cause;
        }

        private void fail(Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            cancelTimeout();
            Channel ch = channel;
            if (ch != null) {
                ch.attr(CALL).set(null);
                ch.close();
            }
            listener.onError(cause);
        }

        private void timedOut() {
            if (!done && !headersSeen) {
                fail(new HttpTimeoutException("no response from " + key + " within "
                        + request.responseTimeout().toMillis() + " ms"));
            }
        }

        private void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }

        @Override
        public void cancel() {
            if (loop.inEventLoop()) {
                abandon();
            } else {
                loop.execute(this::abandon);
            }
        }

        private void abandon() {
            if (done) {
                return;
            }
            done = true;
            cancelTimeout();
            Channel ch = channel;
            if (ch != null) {
                ch.attr(CALL).set(null);
                ch.close();
            }
        }

        @Override
        public void pause() {
            paused = true;
            Channel ch = channel;
            if (ch != null) {
                ch.config().setAutoRead(false);
            }
        }

        @Override
        public void resume() {
            paused = false;
            Channel ch = channel;
            if (ch != null) {
                ch.config().setAutoRead(true);
            }
        }
    }

    /** Routes what a connection reads to the exchange using it. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Call call = ctx.channel().attr(CALL).get();
                if (call == null) {
                    ctx.close(); // an answer nobody asked for: the connection is unusable
                    return;
                }
                if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                    call.connectionLost(ctx.channel(), object.decoderResult().cause());
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    call.onResponse(response);
                }
                if (msg instanceof HttpContent content) {
                    call.onContent(content);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Call call = ctx.channel().attr(CALL).get();
            if (call != null) {
                call.connectionLost(
                        ctx.channel(), new IOException("the server closed the connection before the response ended"));
            } else {
                forgetIdle(ctx.channel());
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                Call call = ctx.channel().attr(CALL).get();
                if (call != null) {
                    call.connectionLost(ctx.channel(), handshake.cause());
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Call call = ctx.channel().attr(CALL).get();
            if (call != null) {
                call.connectionLost(ctx.channel(), cause);
            } else {
                ctx.close();
            }
        }
    }
}
