package ai.sovereign.gateway.limits;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.support.AuditEvents;
import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Per-key RPM, TPM, monthly budget and concurrency limits answer 429 with Retry-After and the OpenAI error body. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyLimitsTest {

    private static final String CHAT =
            "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";

    private GatewayFixture gateway;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private Reply chat(Key key) {
        return gateway.send("POST", "/v1/chat/completions", key.secret(), CHAT);
    }

    @Test
    void rpmLimitRefusesExactlyTheRequestAfterN() {
        GatewayFixture.awaitMinuteWithSecondsLeft(10);
        Key key = gateway.createKey("{\"name\":\"rpm\",\"tenant\":\"acme\",\"rpm\":3}");
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, chat(key).status(), "request " + i);
        }
        Reply refused = chat(key);
        assertEquals(429, refused.status());
        assertEquals("rate_limit_error", refused.json().get("error").get("type").stringValue());
        assertEquals(
                "rate_limit_exceeded", refused.json().get("error").get("code").stringValue());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "the allowance renews with the next minute, got " + retryAfter);
        AuditEvent hit = AuditEvents.awaitEvent(
                e -> e.action().equals("ratelimit.hit") && e.actor().equals(key.id()));
        assertEquals("rpm", hit.details().get("limit"));
        assertTrue(gateway.send("GET", "/metrics", null, null)
                .body()
                .lines()
                .anyMatch(l -> l.startsWith("gateway_rate_limited_total{")
                        && l.contains("reason=\"rpm\"")
                        && !l.endsWith(" 0.0")));
    }

    @Test
    void exhaustedMonthlyBudgetIsRefusedWithAClearMessage() {
        Key key = gateway.createKey("{\"name\":\"budget\",\"tenant\":\"acme\",\"monthly_token_budget\":10}");
        Reply first = chat(key);
        assertEquals(200, first.status());
        assertTrue(first.json().get("usage").get("total_tokens").intValue() > 10);
        Reply refused = chat(key);
        assertEquals(429, refused.status());
        assertEquals(
                "monthly_budget_exhausted",
                refused.json().get("error").get("code").stringValue());
        String message = refused.json().get("error").get("message").stringValue();
        assertTrue(message.contains("monthly token budget") && message.contains("of 10 tokens"), message);
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);

        long charged = first.json().get("usage").get("total_tokens").longValue();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> storedMonthlyTokens(key.id()) == charged);

        Reply raised = gateway.send(
                "PATCH", "/admin/keys/" + key.id(), GatewayFixture.ADMIN_KEY, "{\"monthly_token_budget\":1000}");
        assertEquals(200, raised.status());
        assertEquals(200, chat(key).status(), "a raised budget admits again");
    }

    private long storedMonthlyTokens(String keyId) throws java.sql.SQLException {
        try (java.sql.Connection c = gateway.bean(javax.sql.DataSource.class).getConnection();
                java.sql.PreparedStatement st = c.prepareStatement(
                        "SELECT coalesce(sum(tokens), 0) FROM gateway.key_monthly_usage WHERE key_id = ?::uuid")) {
            st.setString(1, keyId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void tpmIsChargedWithTheRealUsageWhenTheResponseEnds() {
        GatewayFixture.awaitMinuteWithSecondsLeft(10);
        Key key = gateway.createKey("{\"name\":\"tpm\",\"tenant\":\"acme\",\"tpm\":5}");
        assertEquals(200, chat(key).status(), "the minute's allowance is whole before the first request");
        Reply refused = chat(key);
        assertEquals(429, refused.status());
        assertEquals(
                "tokens_per_minute_exceeded",
                refused.json().get("error").get("code").stringValue());
        assertTrue(refused.header("Retry-After") != null);
    }

    @Test
    void maxConcurrentCountsRequestsInFlight() throws Exception {
        gateway.simulator.addModel(
                "llama-slow:2b",
                ModelBehaviour.instant().withOutputTokens(10_000).withInterTokenLatency(Duration.ofMillis(20)));
        try {
            Key key = gateway.createKey("{\"name\":\"conc\",\"tenant\":\"acme\",\"max_concurrent\":1}");
            String slow =
                    "{\"model\":\"llama-slow:2b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            HttpResponse<InputStream> first = gateway.open("/v1/chat/completions", key.secret(), slow);
            assertEquals(200, first.statusCode());
            new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8)).readLine();
            Reply refused = gateway.send("POST", "/v1/chat/completions", key.secret(), slow);
            assertEquals(429, refused.status());
            assertEquals(
                    "too_many_concurrent_requests",
                    refused.json().get("error").get("code").stringValue());
            first.body().close();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> chat(key).status() == 200);
        } finally {
            gateway.simulator.removeModel("llama-slow:2b");
        }
    }
}
