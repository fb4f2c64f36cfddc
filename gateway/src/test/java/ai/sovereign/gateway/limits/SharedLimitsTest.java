package ai.sovereign.gateway.limits;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two gateway replicas on one database hold a key's limits together: RPM and TPM per minute, the monthly budget and
 * {@code max_concurrent} are not per replica. With PostgreSQL unreachable a replica admits its local share and says so
 * in {@code /health}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedLimitsTest {

    private static final String CHAT =
            "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";

    private GatewayFixture a;
    private GatewayFixture b;

    @BeforeAll
    void start() {
        Map<String, Object> shared = new HashMap<>(SharedInfrastructure.postgresProperties(
                DatabaseRoles.GATEWAY, SharedInfrastructure.postgres().newServiceDatabase("gateway")));
        shared.put("gateway.heartbeat-interval", "200ms");
        a = GatewayFixture.start(shared);
        b = GatewayFixture.start(shared);
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas(a) == 2 && replicas(b) == 2);
    }

    @AfterAll
    void stop() {
        b.close();
        a.close();
    }

    private static Reply chat(GatewayFixture gateway, Key key) {
        return gateway.send("POST", "/v1/chat/completions", key.secret(), CHAT);
    }

    private static int replicas(GatewayFixture gateway) {
        return gateway.bean(QuotaSlices.class).replicaShare().live();
    }

    @Test
    void rpmCountsTheRequestsOfBothReplicasTogether() {
        GatewayFixture.awaitMinuteWithSecondsLeft(20);
        Key key = a.createKey("{\"name\":\"rpm-shared\",\"tenant\":\"acme\",\"rpm\":10}");
        int admitted = 0;
        for (int i = 0; i < 30; i++) {
            Reply reply = chat(i % 2 == 0 ? a : b, key);
            if (reply.status() == 200) {
                admitted++;
            } else {
                assertEquals(429, reply.status(), reply.body());
                assertEquals(
                        "rate_limit_exceeded",
                        reply.json().get("error").get("code").stringValue());
                long retryAfter = Long.parseLong(reply.header("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= 60, "until the next minute: " + retryAfter);
            }
        }
        assertEquals(10, admitted, "10 requests per minute through both replicas together, not 10 each");
    }

    @Test
    void tpmUsedUpOnOneReplicaIsUsedUpOnTheOther() {
        GatewayFixture.awaitMinuteWithSecondsLeft(20);
        Key key = a.createKey("{\"name\":\"tpm-shared\",\"tenant\":\"acme\",\"tpm\":30}");
        int admitted = 0;
        while (chat(a, key).status() == 200) {
            admitted++;
            assertTrue(admitted < 10, "a 30-token allowance runs out after a few ~20-token requests");
        }
        Reply refused = chat(b, key);
        assertEquals(429, refused.status(), refused.body());
        assertEquals(
                "tokens_per_minute_exceeded",
                refused.json().get("error").get("code").stringValue());
    }

    @Test
    void monthlyBudgetChargedOnOneReplicaIsSeenByTheOther() {
        Key key = a.createKey("{\"name\":\"budget-shared\",\"tenant\":\"acme\",\"monthly_token_budget\":50}");
        assertEquals(200, chat(b, key).status(), "b loads the key's month while it is far from its budget");
        while (chat(a, key).status() == 200) {
            // a spends the rest of the budget
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Reply reply = chat(b, key);
            return reply.status() == 429
                    && reply.json().get("error").get("code").stringValue().equals("monthly_budget_exhausted");
        });
    }

    @Test
    void maxConcurrentIsDividedBetweenTheReplicas() throws Exception {
        String slowModel = "llama-slow-shared:2b";
        for (GatewayFixture gateway : new GatewayFixture[] {a, b}) {
            gateway.simulator.addModel(
                    slowModel,
                    ModelBehaviour.instant().withOutputTokens(10_000).withInterTokenLatency(Duration.ofMillis(20)));
        }
        String slow = "{\"model\":\"" + slowModel
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        Key key = a.createKey("{\"name\":\"conc-shared\",\"tenant\":\"acme\",\"max_concurrent\":2}");
        HttpResponse<InputStream> onA = a.open("/v1/chat/completions", key.secret(), slow);
        HttpResponse<InputStream> onB = null;
        try {
            assertEquals(200, onA.statusCode());
            new BufferedReader(new InputStreamReader(onA.body(), StandardCharsets.UTF_8)).readLine();
            Reply refused = a.send("POST", "/v1/chat/completions", key.secret(), slow);
            assertEquals(429, refused.status(), refused.body());
            String message = refused.json().get("error").get("message").stringValue();
            assertTrue(message.contains("its share of max_concurrent 2"), message);
            onB = b.open("/v1/chat/completions", key.secret(), slow);
            assertEquals(200, onB.statusCode(), "the other replica's share is free");
        } finally {
            onA.body().close();
            if (onB != null) {
                onB.body().close();
            }
            a.simulator.removeModel(slowModel);
            b.simulator.removeModel(slowModel);
        }
    }

    /**
     * PostgreSQL (a server of this test's own) stopped under two replicas: each admits its local share of a key's RPM
     * (half of it), says so in /health, and shares the limits again once PostgreSQL answers.
     */
    @Test
    void withPostgresDownEachReplicaAdmitsItsLocalShare() throws Exception {
        Path data = Files.createTempDirectory("gateway-limits-outage");
        int port = FreePorts.next();
        PostgresServer postgres = PostgresServer.start(data, port);
        postgres.createRoles(SharedInfrastructure.databaseCredentials());
        Map<String, Object> extra = new HashMap<>(
                SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY, postgres.newServiceDatabase("gateway")));
        extra.put("gateway.heartbeat-interval", "200ms");
        extra.put("datasources.default.connection-timeout", 1000);
        try (GatewayFixture first = GatewayFixture.start(extra);
                GatewayFixture second = GatewayFixture.start(extra)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> replicas(first) == 2 && replicas(second) == 2);
            GatewayFixture.awaitMinuteWithSecondsLeft(40);
            Key key = first.createKey("{\"name\":\"rpm-outage\",\"tenant\":\"acme\",\"rpm\":20}");
            assertEquals(200, chat(first, key).status());
            assertEquals(200, chat(second, key).status());
            assertEquals("shared", limitsMode(first));

            postgres.close();
            postgres = null;
            int admitted = 0;
            for (int i = 0; i < 20; i++) {
                Reply reply = chat(first, key);
                if (reply.status() == 200) {
                    admitted++;
                } else {
                    assertEquals(429, reply.status(), reply.body());
                }
            }
            assertEquals(9, admitted, "half of 20 per minute, less the one this replica admitted before");
            assertEquals("local-share", limitsMode(first));
            Reply metrics = first.send("GET", "/metrics", null, null);
            assertTrue(
                    metrics.body().lines().anyMatch(l -> l.startsWith("gateway_limits_shared") && l.endsWith(" 0.0")),
                    metrics.body()
                            .lines()
                            .filter(l -> l.contains("limits"))
                            .toList()
                            .toString());

            postgres = PostgresServer.start(data, port);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                chat(first, key);
                return "shared".equals(limitsMode(first));
            });
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static String limitsMode(GatewayFixture gateway) {
        Reply health = gateway.send("GET", "/health", null, null);
        return health.json()
                .get("details")
                .get("limits")
                .get("details")
                .get("mode")
                .stringValue();
    }
}
