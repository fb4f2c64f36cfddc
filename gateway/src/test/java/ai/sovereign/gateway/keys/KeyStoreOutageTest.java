package ai.sovereign.gateway.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running gateway (a server of this test's own): requests on keys it has seen go on,
 * past the key cache's TTL, on the keys as last seen; what needs the database (a new key, an unknown key) gets a clear
 * 503; after PostgreSQL returns, everything works again.
 */
class KeyStoreOutageTest {

    private static final String CHAT =
            "{\"model\":\"" + GatewayFixture.CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void inferenceOnKnownKeysGoesOnWhilePostgresIsDownAndKeyCreationSays503() throws Exception {
        Path data = Files.createTempDirectory("gateway-pg-outage");
        int port = FreePorts.next();
        PostgresServer postgres = PostgresServer.start(data, port);
        postgres.createRoles(SharedInfrastructure.databaseCredentials());
        Map<String, Object> extra = new HashMap<>(
                SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY, postgres.newServiceDatabase("gateway")));
        extra.put("gateway.keys.cache-ttl", "1s");
        extra.put("datasources.default.connection-timeout", 2000);
        try (GatewayFixture gateway = GatewayFixture.start(extra)) {
            String key = gateway.createKey("{\"name\":\"steady\",\"tenant\":\"acme\"}")
                    .secret();
            assertEquals(
                    200, gateway.send("POST", "/v1/chat/completions", key, CHAT).status());

            postgres.close();
            postgres = null;
            long staleBefore = staleUses(gateway);
            // every request is served; once the cache entry is past its TTL, on the key as last seen
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                GatewayFixture.Reply reply = gateway.send("POST", "/v1/chat/completions", key, CHAT);
                assertEquals(200, reply.status(), reply.body());
                return staleUses(gateway) > staleBefore;
            });
            for (int i = 0; i < 20; i++) {
                GatewayFixture.Reply reply = gateway.send("POST", "/v1/chat/completions", key, CHAT);
                assertEquals(200, reply.status(), reply.body());
            }

            GatewayFixture.Reply create = gateway.send(
                    "POST", "/admin/keys", GatewayFixture.ADMIN_KEY, "{\"name\":\"new\",\"tenant\":\"acme\"}");
            assertEquals(503, create.status(), create.body());
            GatewayFixture.Reply unknown =
                    gateway.send("POST", "/v1/chat/completions", "sk-never-seen-0123456789abcdef", CHAT);
            assertEquals(503, unknown.status(), "an unknown key cannot be told from a valid one: " + unknown.body());
            assertEquals(
                    "key_store_unavailable",
                    unknown.json().get("error").get("code").stringValue(),
                    unknown.body());

            postgres = PostgresServer.start(data, port);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> gateway.send(
                                            "POST",
                                            "/admin/keys",
                                            GatewayFixture.ADMIN_KEY,
                                            "{\"name\":\"after\",\"tenant\":\"acme\"}")
                                    .status()
                            == 201);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static long staleUses(GatewayFixture gateway) {
        Matcher value = Pattern.compile("(?m)^gateway_key_stale_uses_total\\S* (\\S+)$")
                .matcher(gateway.send("GET", "/metrics", null, (String) null).body());
        assertTrue(value.find(), "gateway_key_stale_uses_total is exported");
        return (long) Double.parseDouble(value.group(1));
    }
}
