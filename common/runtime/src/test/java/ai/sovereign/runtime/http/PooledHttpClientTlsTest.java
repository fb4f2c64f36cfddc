package ai.sovereign.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.TestCertificates;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} upstreams: the pooled client speaks TLS, and refuses a server whose certificate it does not trust or
 * that names another host. The servers are the JDK's HTTPS server on certificates made by the JDK's keytool.
 */
class PooledHttpClientTlsTest {

    @TempDir
    static Path dir;

    static MultiThreadIoEventLoopGroup group;
    static HttpsServer localhost;
    static HttpsServer otherName;
    static X509Certificate localhostCertificate;
    static X509Certificate otherNameCertificate;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        KeyStore forLocalhost = TestCertificates.selfSigned(dir, "localhost", "SAN=dns:localhost,ip:127.0.0.1");
        KeyStore forOther = TestCertificates.selfSigned(dir, "other", "SAN=dns:upstream.other.example");
        localhostCertificate = (X509Certificate) forLocalhost.getCertificate("localhost");
        otherNameCertificate = (X509Certificate) forOther.getCertificate("other");
        localhost = server(forLocalhost);
        otherName = server(forOther);
    }

    @AfterAll
    static void stop() {
        localhost.stop(0);
        otherName.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aTrustedServerNamingTheHostIsSpokenToOverTls() throws Exception {
        PooledHttpClient client = client(localhostCertificate);
        try {
            for (int i = 0; i < 3; i++) {
                PooledHttpClientTest.Collector answer = post(client, localhost, "hello " + i);
                assertEquals("hello " + i, answer.body.get(10, TimeUnit.SECONDS));
                assertEquals(201, answer.response.status().code());
            }
            assertEquals(
                    0,
                    client.openConnections("127.0.0.1", localhost.getAddress().getPort()),
                    "TLS connections are pooled apart from plain ones");
        } finally {
            client.close();
        }
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeWithAClearError() {
        PooledHttpClient client = new PooledHttpClient(
                group, NioSocketChannel.class, Duration.ofSeconds(2), 8, PooledHttpClient.defaultTls());
        try {
            String message = failure(post(client, localhost, "secret prompt"));
            assertTrue(message.startsWith("TLS handshake failed"), message);
        } finally {
            client.close();
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() {
        PooledHttpClient client = client(otherNameCertificate);
        try {
            String message = failure(post(client, otherName, "secret prompt"));
            assertTrue(message.startsWith("TLS handshake failed"), message);
        } finally {
            client.close();
        }
    }

    private static String failure(PooledHttpClientTest.Collector answer) {
        ExecutionException error = assertThrows(ExecutionException.class, () -> answer.body.get(10, TimeUnit.SECONDS));
        return String.valueOf(error.getCause().getMessage());
    }

    private static PooledHttpClient client(X509Certificate trusted) {
        try {
            return new PooledHttpClient(
                    group,
                    NioSocketChannel.class,
                    Duration.ofSeconds(2),
                    8,
                    SslContextBuilder.forClient()
                            .sslProvider(SslProvider.JDK)
                            .trustManager(trusted)
                            .build());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PooledHttpClientTest.Collector post(PooledHttpClient client, HttpsServer server, String body) {
        PooledHttpClientTest.Collector collector = new PooledHttpClientTest.Collector();
        client.send(
                new PooledHttpClient.Request(
                        URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/echo"),
                        HttpMethod.POST,
                        new DefaultHttpHeaders(),
                        body.getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(5)),
                collector);
        return collector;
    }

    private static HttpsServer server(KeyStore keys) throws Exception {
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, TestCertificates.PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
