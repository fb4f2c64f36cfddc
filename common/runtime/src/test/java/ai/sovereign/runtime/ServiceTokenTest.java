package ai.sovereign.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceTokenTest implements TestPropertyProvider {

    private static final byte[] SECRET = "a-platform-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Inject
    EmbeddedServer server;

    @Inject
    ServiceTokenCodec serviceCodec;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        return Map.of("kafka.bootstrap.servers", SharedInfrastructure.kafka().bootstrapServers());
    }

    private static ServiceTokenCodec codecAt(Instant now) {
        return new ServiceTokenCodec(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void issuedTokenVerifiesToTheSameCaller() {
        String token = codecAt(NOW).issue("key-7", "acme", Role.AUDITOR, Duration.ofSeconds(60), "gateway");
        var caller = codecAt(NOW.plusSeconds(30)).verify(token);
        assertEquals("key-7", caller.subject());
        assertEquals("acme", caller.tenant());
        assertEquals(Role.AUDITOR, caller.role());
    }

    @Test
    void expiredTamperedForeignAndMalformedTokensAreRefusedWithAReason() {
        String token = codecAt(NOW).issue("key-7", "acme", Role.USER, Duration.ofSeconds(60), "gateway");
        String[] parts = token.split("\\.");
        String elevated = parts[0] + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"sub\":\"key-7\",\"tenant\":\"acme\",\"role\":\"admin\",\"exp\":9999999999}"
                                .getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        ServiceTokenCodec foreign = new ServiceTokenCodec(
                "another-secret-another-secret-another!!".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC));
        Map<String, String> cases = Map.of(
                "token has expired", "expired",
                "token signature does not match", "elevated",
                "token signature does not match ", "foreign",
                "token is not a JWT (expected three dot-separated parts)", "garbage");
        cases.forEach((expected, which) -> {
            var error = assertThrows(
                    ServiceTokenCodec.InvalidTokenException.class,
                    () -> {
                        switch (which) {
                            case "expired" -> codecAt(NOW.plusSeconds(3600)).verify(token);
                            case "elevated" -> codecAt(NOW).verify(elevated);
                            case "foreign" ->
                                codecAt(NOW)
                                        .verify(foreign.issue("x", "acme", Role.ADMIN, Duration.ofMinutes(1), "evil"));
                            default -> codecAt(NOW).verify("not-a-token");
                        }
                    },
                    which);
            assertEquals(expected.trim(), error.getMessage(), which);
        });
    }

    @Test
    void shortSecretIsRejectedNamingTheSetting() {
        var error = assertThrows(
                IllegalArgumentException.class, () -> new ServiceTokenCodec(new byte[8], Clock.systemUTC()));
        assertTrue(error.getMessage().startsWith("sovereign.security.token-secret must be at least 32 bytes"));
    }

    @Test
    void protectedPathNeedsAValidTokenAndTheRightRole() throws Exception {
        assertEquals(401, get(null).statusCode());
        assertEquals(401, get("forged.token.value").statusCode());
        HttpResponse<String> user =
                get(serviceCodec.issue("key-1", "acme", Role.USER, Duration.ofMinutes(1), "gateway"));
        assertEquals(403, user.statusCode());
        assertTrue(user.body().contains("role user may not do this; it needs auditor or admin"), user.body());
        HttpResponse<String> auditor =
                get(serviceCodec.issue("key-2", "acme", Role.AUDITOR, Duration.ofMinutes(1), "gateway"));
        assertEquals(200, auditor.statusCode());
        assertEquals("key-2@acme", auditor.body());
    }

    private HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURI() + "/probe/secure/whoami"));
        if (token != null) {
            request.header("X-Sovereign-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
