package ai.sovereign.simulator.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: one event-loop group does accepting, I/O and all simulated delays (as
 * scheduled tasks), so hundreds of slow streams cost no threads.
 */
public final class HttpServer implements AutoCloseable {

    /** Requests are small JSON documents; this only guards against runaway uploads. */
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;

    private HttpServer(EventLoopGroup group, Channel serverChannel, ChannelGroup connections) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Binds and starts serving.
     *
     * @param port 0 picks a free port
     * @throws IllegalStateException naming the address when the bind fails (e.g. port in use)
     */
    public static HttpServer start(String host, int port, int ioThreads, RequestDispatcher dispatcher) {
        // Daemon threads: an embedded simulator a test forgot to close must not keep the JVM alive.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                ioThreads, new DefaultThreadFactory("llm-simulator", true), NioIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline()
                                    .addLast(
                                            new HttpServerCodec(),
                                            new HttpObjectAggregator(MAX_BODY_BYTES),
                                            dispatcher);
                        }
                    })
                    .bind(host, port)
                    .syncUninterruptibly()
                    .channel();
            return new HttpServer(group, server, connections);
        } catch (Exception e) { // Netty rethrows the checked BindException unwrapped
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops listening, drops every open connection and waits for the event loops to end. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
