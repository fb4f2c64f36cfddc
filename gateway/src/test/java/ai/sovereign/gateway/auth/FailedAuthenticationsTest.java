package ai.sovereign.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.support.AuditEvents;
import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Wrong keys cost the gateway little: a client address gets a few failed authentications a minute, each looked up
 * and audited; past that it gets 429 without a lookup, audited once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailedAuthenticationsTest {

    private static final int LIMIT = 5;
    private GatewayFixture gateway;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start(Map.of("gateway.auth.max-failures-per-minute", LIMIT));
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void aThousandRandomWrongKeysCostAFewLookupsAndABoundedNumberOfAuditEvents() {
        Key user = gateway.createKey("{\"name\":\"neighbour\",\"tenant\":\"acme\"}");
        assertEquals(200, gateway.send("GET", "/v1/models", user.secret(), null).status(), "in the key cache now");
        String run = "flood-" + UUID.randomUUID();
        long lookupsBefore = lookups(gateway);
        int unauthorized = 0;
        int throttled = 0;
        for (int i = 0; i < 1000; i++) {
            Reply reply = gateway.send(
                    "GET", "/v1/models", "sk-" + UUID.randomUUID(), null, Map.of("X-Request-Id", run + "-" + i));
            if (reply.status() == 401) {
                unauthorized++;
            } else {
                assertEquals(429, reply.status(), reply.body());
                assertEquals(
                        "too_many_failed_authentications",
                        reply.json().get("error").get("code").stringValue());
                long retryAfter = Long.parseLong(reply.header("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
                throttled++;
            }
        }
        assertEquals(LIMIT, unauthorized);
        assertEquals(1000 - LIMIT, throttled);
        assertEquals(LIMIT, lookups(gateway) - lookupsBefore, "only the failures within the limit were looked up");

        // a key this gateway has in its cache still works from the same address
        assertEquals(200, gateway.send("GET", "/v1/models", user.secret(), null).status());

        String end = run + "-end";
        gateway.send("GET", "/admin/keys/" + user.id(), GatewayFixture.ADMIN_KEY, null, Map.of("X-Request-Id", end));
        List<AuditEvent> audited = AuditEvents.allUntil(
                e -> e.requestId() != null
                        && e.requestId().startsWith(run + "-")
                        && !e.requestId().equals(end),
                e -> end.equals(e.requestId()));
        assertEquals(
                LIMIT,
                audited.stream().filter(e -> e.action().equals("auth.failure")).count(),
                audited.toString());
        assertEquals(
                1,
                audited.stream()
                        .filter(e -> e.action().equals("auth.throttled"))
                        .count(),
                audited.toString());
        assertEquals(LIMIT + 1, audited.size(), "nothing else");
    }

    @Test
    void aWrongKeySentAgainIsNotLookedUpAgain() {
        GatewayFixture other = GatewayFixture.start(Map.of("gateway.auth.max-failures-per-minute", 1000));
        try {
            String wrong = "sk-" + UUID.randomUUID();
            long before = lookups(other);
            for (int i = 0; i < 20; i++) {
                assertEquals(401, other.send("GET", "/v1/models", wrong, null).status());
            }
            assertEquals(1, lookups(other) - before, "one lookup, then the negative cache answers");
        } finally {
            other.close();
        }
    }

    private static long lookups(GatewayFixture fixture) {
        Matcher value = Pattern.compile("(?m)^gateway_key_lookups_total\\S* (\\S+)$")
                .matcher(fixture.send("GET", "/metrics", null, (String) null).body());
        assertTrue(value.find(), "gateway_key_lookups_total is exported");
        return (long) Double.parseDouble(value.group(1));
    }
}
