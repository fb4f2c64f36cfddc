package ai.sovereign.gateway.keys;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A key in steady use is reloaded before its cache entry expires, so its requests stay on the fast path across the
 * cache TTL (none of them waits for PostgreSQL), while a change made on another replica still takes effect within
 * the TTL. The cache TTL here is 1 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyCacheRefreshTest {

    private static final String CHAT =
            "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private GatewayFixture gateway;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start(Map.of("gateway.keys.cache-ttl", "1s"));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private double fastPath(String outcome) {
        return gateway.bean(MeterRegistry.class)
                .get("gateway.fast.path")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private int chat(Key key) {
        return gateway.send("POST", "/v1/chat/completions", key.secret(), CHAT).status();
    }

    @Test
    void aKeyInSteadyUseStaysOnTheFastPathAcrossItsCacheTtl() {
        Key key = gateway.createKey("{\"name\":\"steady\",\"tenant\":\"acme\"}");
        assertEquals(200, chat(key)); // the first use looks the key up (ordinary path) and caches it
        double passedBefore = fastPath("passed");
        double servedBefore = fastPath("served");
        int sent = 0;
        Instant end = Instant.now().plusSeconds(3); // three cache lifetimes of steady traffic
        while (Instant.now().isBefore(end)) {
            assertEquals(200, chat(key));
            sent++;
        }
        assertEquals(
                passedBefore,
                fastPath("passed"),
                "no request of a key in use was handed to the ordinary path by an expired cache entry");
        assertEquals(servedBefore + sent, fastPath("served"));
    }

    @Test
    void aKeyRevokedOnAnotherReplicaStopsWorkingWithinTheCacheTtl() {
        Key key = gateway.createKey("{\"name\":\"revoked-elsewhere\",\"tenant\":\"acme\"}");
        assertEquals(200, chat(key));
        assertEquals(200, chat(key));
        // another replica revokes it: the row changes, this replica's cache is not told
        gateway.bean(ApiKeyStore.class).revoke(UUID.fromString(key.id()), Instant.now());
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> chat(key) == 401);
        long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
        assertTrue(tookMs < 2_500, "refused " + tookMs + " ms after the revocation; the cache TTL is 1 s");
    }
}
