package ai.sovereign.runtime.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PooledHttpClientTest {

    static MultiThreadIoEventLoopGroup group;
    static HttpServer server;
    static final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    static final CountDownLatch streamAbandoned = new CountDownLatch(1);
    static PooledHttpClient client;

    @BeforeAll
    static void start() throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        client = new PooledHttpClient(
                group,
                NioSocketChannel.class,
                Duration.ofSeconds(2),
                PooledHttpClient.DEFAULT_MAX_CONNECTIONS_PER_HOST);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/echo", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders()
                    .add("X-Seen", exchange.getRequestHeaders().getFirst("X-Test"));
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/stream", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked
            OutputStream out = exchange.getResponseBody();
            try {
                for (int i = 0; i < 200; i++) {
                    out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(20);
                }
                out.close();
            } catch (IOException | InterruptedException e) {
                streamAbandoned.countDown(); // the client closed the connection
            }
        });
        server.createContext("/silent", exchange -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Collects a whole response. */
    static final class Collector implements PooledHttpClient.Listener {
        final CompletableFuture<String> body = new CompletableFuture<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile HttpResponse response;

        @Override
        public void onHeaders(HttpResponse response) {
            this.response = response;
        }

        @Override
        public void onContent(ByteBuf content) {
            byte[] chunk = new byte[content.readableBytes()];
            content.readBytes(chunk);
            bytes.writeBytes(chunk);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }
    }

    private static Collector post(String path, String body, Duration timeout) {
        Collector collector = new Collector();
        client.send(
                new PooledHttpClient.Request(
                        uri(path),
                        HttpMethod.POST,
                        new DefaultHttpHeaders().add("X-Test", "yes"),
                        body.getBytes(StandardCharsets.UTF_8),
                        timeout),
                collector);
        return collector;
    }

    @Test
    void sendsBodyAndHeadersAndReusesTheConnection() throws Exception {
        clientPorts.clear();
        for (int i = 0; i < 5; i++) {
            Collector collector = post("/echo", "hello " + i, Duration.ofSeconds(5));
            assertEquals("hello " + i, collector.body.get(5, TimeUnit.SECONDS));
            assertEquals(201, collector.response.status().code());
            assertEquals("yes", collector.response.headers().get("X-Seen"));
        }
        assertEquals(1, clientPorts.size()); // one keep-alive connection, sequential requests
    }

    @Test
    void streamsChunksAsTheyArriveAndCancelClosesTheConnection() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        AtomicBoolean ended = new AtomicBoolean();
        PooledHttpClient.Exchange exchange = client.send(
                new PooledHttpClient.Request(
                        uri("/stream"), HttpMethod.GET, new DefaultHttpHeaders(), null, Duration.ofSeconds(5)),
                new PooledHttpClient.Listener() {
                    @Override
                    public void onHeaders(HttpResponse response) {}

                    @Override
                    public void onContent(ByteBuf content) {
                        first.complete(content.toString(StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onComplete() {
                        ended.set(true);
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended.set(true);
                    }
                });
        assertTrue(first.get(5, TimeUnit.SECONDS).startsWith("data: 0")); // long before the 4 s stream ends
        exchange.cancel();
        assertTrue(streamAbandoned.await(10, TimeUnit.SECONDS));
        assertFalse(ended.get());
    }

    @Test
    void refusedConnectionIsAConnectException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Collector collector = new Collector();
        client.send(
                new PooledHttpClient.Request(
                        URI.create("http://127.0.0.1:" + port + "/x"),
                        HttpMethod.GET,
                        new DefaultHttpHeaders(),
                        null,
                        Duration.ofSeconds(5)),
                collector);
        assertInstanceOf(
                ConnectException.class, collector.body.handle((v, e) -> e).get(5, TimeUnit.SECONDS));
    }

    @Test
    void noAnswerWithinTheResponseTimeoutIsAnHttpTimeoutException() throws Exception {
        Collector collector = post("/silent", "", Duration.ofMillis(200));
        assertInstanceOf(
                HttpTimeoutException.class, collector.body.handle((v, e) -> e).get(3, TimeUnit.SECONDS));
    }

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        List<Collector> collectors = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> post("/echo", "n" + i, Duration.ofSeconds(5)))
                .toList();
        for (int i = 0; i < collectors.size(); i++) {
            assertEquals("n" + i, collectors.get(i).body.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aConnectionBeyondTheCapFailsAtOnceNamingTheAddressAndTheCapFreesAsConnectionsClose() throws Exception {
        PooledHttpClient capped = new PooledHttpClient(group, NioSocketChannel.class, Duration.ofSeconds(2), 2);
        try {
            List<Collector> holding = java.util.stream.IntStream.range(0, 2)
                    .mapToObj(i -> {
                        Collector collector = new Collector();
                        capped.send(
                                new PooledHttpClient.Request(
                                        uri("/silent"),
                                        HttpMethod.GET,
                                        new DefaultHttpHeaders(),
                                        null,
                                        Duration.ofMillis(1500)),
                                collector);
                        return collector;
                    })
                    .toList();
            await().atMost(Duration.ofSeconds(5)).until(() -> capped.openConnections("127.0.0.1", port()) == 2);

            Collector refused = new Collector();
            capped.send(
                    new PooledHttpClient.Request(
                            uri("/echo"), HttpMethod.GET, echoHeaders(), null, Duration.ofSeconds(5)),
                    refused);
            Throwable error = refused.body.handle((v, e) -> e).get(1, TimeUnit.SECONDS);
            assertInstanceOf(PooledHttpClient.ConnectionLimitException.class, error);
            assertTrue(error.getMessage().contains("2 connections to 127.0.0.1:" + port()), error.getMessage());

            for (Collector collector : holding) { // they time out, and their connections close
                assertInstanceOf(
                        HttpTimeoutException.class,
                        collector.body.handle((v, e) -> e).get(5, TimeUnit.SECONDS));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> capped.openConnections("127.0.0.1", port()) == 0);
            Collector again = new Collector();
            capped.send(
                    new PooledHttpClient.Request(
                            uri("/echo"),
                            HttpMethod.POST,
                            echoHeaders(),
                            "back".getBytes(StandardCharsets.UTF_8),
                            Duration.ofSeconds(5)),
                    again);
            assertEquals("back", again.body.get(5, TimeUnit.SECONDS));
        } finally {
            capped.close();
        }
    }

    @Test
    void anIdleConnectionIsClosedByItsEventLoopOnceItHasBeenIdleTooLong() throws Exception {
        PooledHttpClient reaping = new PooledHttpClient(
                group,
                NioSocketChannel.class,
                Duration.ofSeconds(2),
                PooledHttpClient.DEFAULT_MAX_CONNECTIONS_PER_HOST,
                Duration.ofMillis(300),
                Duration.ofMillis(100),
                PooledHttpClient.defaultTls());
        try {
            Collector collector = new Collector();
            reaping.send(
                    new PooledHttpClient.Request(
                            uri("/echo"),
                            HttpMethod.POST,
                            echoHeaders(),
                            "idle".getBytes(StandardCharsets.UTF_8),
                            Duration.ofSeconds(5)),
                    collector);
            assertEquals("idle", collector.body.get(5, TimeUnit.SECONDS));
            assertEquals(1, reaping.openConnections("127.0.0.1", port())); // pooled, kept alive
            await().atMost(Duration.ofSeconds(5)).until(() -> reaping.openConnections("127.0.0.1", port()) == 0);
        } finally {
            reaping.close();
        }
    }

    /** What /echo expects of a request: it echoes X-Test back as X-Seen. */
    private static DefaultHttpHeaders echoHeaders() {
        return (DefaultHttpHeaders) new DefaultHttpHeaders().add("X-Test", "yes");
    }

    private static int port() {
        return server.getAddress().getPort();
    }
}
