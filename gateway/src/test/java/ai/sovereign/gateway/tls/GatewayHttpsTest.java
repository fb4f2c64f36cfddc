package ai.sovereign.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.testkit.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Given a PEM file with the key and the certificate chain (micronaut.server.ssl.key-store.path), the gateway serves
 * HTTPS: the OpenAI routes (on the Netty fast lane too) and /health answer over TLS to a client that trusts the
 * certificate and checks the host name; the port speaks no plain HTTP, and a client that does not trust the
 * certificate gets no answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayHttpsTest {

    private Path dir;

    private GatewayFixture gateway;
    private HttpClient trusting;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("gateway-tls");
        KeyStore keys = TestCertificates.selfSigned(dir, "gateway", "SAN=dns:localhost,ip:127.0.0.1");
        Path pem = dir.resolve("gateway.pem");
        PrivateKey key = (PrivateKey) keys.getKey("gateway", TestCertificates.PASSWORD);
        StringBuilder text = new StringBuilder(pem("PRIVATE KEY", key.getEncoded()));
        for (Certificate certificate : keys.getCertificateChain("gateway")) {
            text.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Files.writeString(pem, text.toString(), StandardCharsets.US_ASCII);
        gateway = GatewayFixture.start(Map.of(
                "micronaut.server.ssl.enabled",
                true,
                "micronaut.server.ssl.port",
                -1,
                "micronaut.server.ssl.key-store.path",
                "file:" + pem));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("gateway", keys.getCertificate("gateway"));
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        trusting = HttpClient.newBuilder()
                .sslContext(context)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        base = gateway.server.getURI();
    }

    @AfterAll
    void stop() {
        gateway.close();
        trusting.close();
    }

    @Test
    void theOpenAiRoutesAndHealthAnswerOverTls() throws Exception {
        assertEquals("https", base.getScheme(), base.toString());
        URI https = URI.create("https://127.0.0.1:" + base.getPort());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> chat = trusting.send(
                    HttpRequest.newBuilder(https.resolve("/v1/chat/completions"))
                            .header("Authorization", "Bearer " + GatewayFixture.ADMIN_KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + GatewayFixture.CHAT_MODEL
                                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, chat.statusCode(), chat.body());
            assertTrue(chat.body().contains("\"chat.completion\""), chat.body());
        }
        HttpResponse<String> health = trusting.send(
                HttpRequest.newBuilder(https.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        MeterRegistry meters = gateway.bean(MeterRegistry.class);
        var served = meters.find("gateway.fast.path").tag("outcome", "served").counter();
        // the Netty fast lane sits behind the TLS handler: once the key is cached it answers over TLS too
        assertTrue(served != null && served.count() >= 1, "the fast lane served none of the TLS requests");
    }

    @Test
    void thePortSpeaksNoPlainHttpAndAClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(
                IOException.class,
                () -> plain.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
        HttpClient untrusting =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        IOException refused = assertThrows(
                IOException.class,
                () -> untrusting.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + base.getPort() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
        assertTrue(String.valueOf(refused.getMessage()).contains("PKIX"), String.valueOf(refused));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
