package ai.sovereign.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.keys.ApiKeySettings;
import ai.sovereign.gateway.keys.BootstrapAdminKeySettings;
import ai.sovereign.gateway.keys.KeySettings;
import ai.sovereign.gateway.upstream.UpstreamSettings;
import ai.sovereign.gateway.upstream.UpstreamTokenSettings;
import ai.sovereign.runtime.security.SecuritySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad {@code gateway.*} values stop the gateway at start with a message naming the key; secrets stay out of logs. */
class GatewaySettingsTest {

    private static final String KEY_SECRET = "gateway-key-secret-of-at-least-32-bytes";
    private static final SecuritySettings PRODUCTION =
            new SecuritySettings(false, "/keys/gateway.jwk", null, null, null, null, null);
    private static final SecuritySettings DEV_MODE = new SecuritySettings(true, null, null, null, null, null, null);

    @Test
    void upstreamsMustBeHttpBaseUrlsAndLoseTheirTrailingSlash() {
        var error = assertThrows(IllegalStateException.class, () -> upstreams("router:5100", 1024));
        assertEquals(
                "gateway.upstreams.router must be an http(s) base URL such as http://router:5100 (got 'router:5100')",
                error.getMessage());
        assertEquals(
                "http://router:5100", upstreams("http://router:5100/", 1024).primaryRouter());
        assertEquals(
                java.util.List.of("http://router-0:5100", "http://router-1:5100"),
                upstreams("http://router-0:5100/, http://router-1:5100", 1024).router(),
                "several router replicas, each checked and trimmed");
        var second =
                assertThrows(IllegalStateException.class, () -> upstreams("http://router-0:5100,router-1:5100", 1024));
        assertTrue(second.getMessage().contains("(got 'router-1:5100')"), second.getMessage());
    }

    @Test
    void badLimitsNameTheirKey() {
        Map<String, Runnable> cases = Map.of(
                "gateway.upstreams.max-connections-per-host must be >= 1 (got 0)",
                () -> upstreams("http://router:5100", 0),
                "gateway.upstreams.connect-timeout and response-timeout must be > 0 (got PT0S, PT5M)",
                () -> new UpstreamSettings(
                        java.util.List.of("http://r:1"),
                        "http://i:1",
                        "http://a:1",
                        "http://b:1",
                        Duration.ZERO,
                        Duration.ofMinutes(5),
                        1),
                "gateway.token-ttl must be at least 1s (got PT0.5S)",
                () -> new UpstreamTokenSettings(Duration.ofMillis(500)),
                "gateway.keys.cache-ttl must be ≥ 0 (got PT-1S)",
                () -> new ApiKeySettings(KEY_SECRET, Duration.ofSeconds(-1), Duration.ofMinutes(10)),
                "gateway.keys.secret must be at least 32 bytes (got 5)",
                () -> new ApiKeySettings("short", Duration.ZERO, Duration.ZERO),
                "gateway.keys.secret (GATEWAY_KEYS_SECRET) is not set",
                () -> new KeySettings(new ApiKeySettings(null, Duration.ZERO, Duration.ZERO), PRODUCTION));
        cases.forEach((message, create) -> {
            var error = assertThrows(IllegalStateException.class, create::run, message);
            assertTrue(error.getMessage().startsWith(message), error.getMessage());
        });
    }

    @Test
    void devModeHasABuiltInKeySecretAndAConfiguredOneIsUsedAsGiven() {
        assertTrue(new KeySettings(new ApiKeySettings("", Duration.ofSeconds(5), Duration.ofMinutes(10)), DEV_MODE)
                        .secret()
                        .length
                >= 32);
        KeySettings configured = new KeySettings(
                new ApiKeySettings(KEY_SECRET, Duration.ofSeconds(5), Duration.ofMinutes(10)), PRODUCTION);
        assertArrayEquals(KEY_SECRET.getBytes(StandardCharsets.UTF_8), configured.secret());
        assertEquals(Duration.ofSeconds(5), configured.cacheTtl());
    }

    @Test
    void anEmptyBootstrapKeyIsNoneAndSecretsStayOutOfTheSettingsText() {
        assertEquals(null, new BootstrapAdminKeySettings(" ").adminKey());
        String text = new ApiKeySettings(KEY_SECRET, Duration.ZERO, Duration.ZERO) + " "
                + new BootstrapAdminKeySettings("sk-bootstrap-0123456789abcdef");
        assertFalse(text.contains(KEY_SECRET), text);
        assertFalse(text.contains("sk-bootstrap-0123456789abcdef"), text);
    }

    private static UpstreamSettings upstreams(String router, int maxConnections) {
        return new UpstreamSettings(
                java.util.List.of(router.split(",")),
                "http://ingestion:8000",
                "http://audit:8090",
                "http://backup:8070",
                Duration.ofSeconds(5),
                Duration.ofSeconds(300),
                maxConnections);
    }
}
