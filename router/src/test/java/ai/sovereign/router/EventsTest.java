package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventPayload;
import ai.sovereign.events.Topics;
import ai.sovereign.events.UsageRecord;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** A usage record per finished request, an audit event per control-plane change, on the real Kafka. */
class EventsTest {

    @Test
    void finishedRequestsAreMeteredAndAdminChangesAudited() {
        try (RouterHarness router =
                        RouterHarness.start(2, RouterHarness.fastSettings(), List.of(), ModelBehaviour.instant());
                KafkaConsumer<String, byte[]> consumer = TestKafka.consumer("router-events-test")) {
            await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
            consumer.subscribe(List.of(Topics.LLM_USAGE, Topics.AUDIT_EVENTS));
            String key7 = RouterHarness.token("key-7", "acme", Role.USER);
            String whole = "usage-" + UUID.randomUUID();
            String streamed = "usage-" + UUID.randomUUID();
            assertEquals(
                    200,
                    router.post(
                                    "/v1/chat/completions",
                                    RouterHarness.chat(RouterHarness.MODEL, false),
                                    "X-Request-Id",
                                    whole,
                                    "X-Sovereign-Token",
                                    key7,
                                    // headers a caller could forge count for nothing: the token names the key
                                    "X-Sovereign-Key-Id",
                                    "key-forged",
                                    "X-Sovereign-Tenant",
                                    "other-tenant")
                            .statusCode());
            assertEquals(
                    200,
                    router.post(
                                    "/v1/chat/completions",
                                    RouterHarness.chat(RouterHarness.MODEL, true),
                                    "X-Request-Id",
                                    streamed,
                                    "X-Sovereign-Token",
                                    key7)
                            .statusCode());
            router.adminJson("POST", "servers/sim-0/drain", null);

            EventCodec codec = new EventCodec();
            List<EventPayload> seen = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    CloudEvent<EventPayload> e = codec.decode(r.value());
                    seen.add(e.data());
                });
                return usage(seen, whole) != null
                        && usage(seen, streamed) != null
                        && seen.stream()
                                .anyMatch(p ->
                                        p instanceof AuditEvent a && a.action().equals("router.server.drain"));
            });
            UsageRecord w = usage(seen, whole);
            assertEquals("key-7", w.keyId());
            assertEquals("acme", w.tenant());
            assertEquals(UsageRecord.Status.SUCCESS, w.status());
            assertEquals("sim-0", w.serverId());
            assertEquals("/v1/chat/completions", w.endpoint());
            assertTrue(w.promptTokens() > 0 && w.completionTokens() > 0, w.toString());
            UsageRecord s = usage(seen, streamed);
            assertTrue(s.stream());
            assertEquals("key-7", s.keyId());
            assertNotNull(s.timeToFirstTokenMs());
            assertTrue(s.completionTokens() > 0, s.toString());
            AuditEvent drain = seen.stream()
                    .filter(p -> p instanceof AuditEvent a && a.action().equals("router.server.drain"))
                    .map(AuditEvent.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertEquals("ops-admin", drain.actor());
            assertEquals("sim-0", drain.resourceId());
        }
    }

    /**
     * Each operator action says why (the {@code reason} parameter) and what it changed: the config's changed fields
     * with their values before and after, a drain's and a breaker's state before and after, the bans a clear lifted.
     */
    @Test
    void adminActionsRecordTheirReasonAndWhatTheyChanged() {
        try (RouterHarness router =
                        RouterHarness.start(1, RouterHarness.fastSettings(), List.of(), ModelBehaviour.instant());
                KafkaConsumer<String, byte[]> consumer = TestKafka.consumer("router-admin-audit-test")) {
            await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
            consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
            int maxSize = router.adminJson("GET", "config", null)
                    .path("config")
                    .path("queue")
                    .path("maxSize")
                    .intValue();
            // other routers in this JVM emit the same actions: this test's events are told apart by their values
            String run = UUID.randomUUID().toString().substring(0, 8);
            int newSize = maxSize + 1 + new java.util.Random().nextInt(100_000);
            router.adminJson("PATCH", "config/queue", "{\"maxSize\": " + newSize + "}");
            router.adminJson("POST", "servers/sim-0/drain?reason=disk%20swap%20" + run, null);
            router.adminJson(
                    "POST",
                    "circuit-breakers/sim-0/" + RouterHarness.MODEL + "/open?reason=flaky%20GPU%20" + run,
                    null);
            router.adminJson("DELETE", "bans?reason=cleared%20" + run, null);
            assertEquals(
                    400,
                    router.admin("POST", "servers/sim-0/undrain?reason=a%0Ab" + run, null)
                            .statusCode(),
                    "a reason with a line break would forge log lines");
            assertEquals(
                    400,
                    router.admin("POST", "servers/sim-0/undrain?reason=" + "x".repeat(501), null)
                            .statusCode());

            EventCodec codec = new EventCodec();
            List<AuditEvent> seen = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (codec.decode(r.value()).data() instanceof AuditEvent a && ours(a, run, newSize)) {
                        seen.add(a);
                    }
                });
                return List.of("router.config.queue", "router.server.drain", "router.breaker.open", "router.ban.clear")
                        .stream()
                        .allMatch(action -> find(seen, action) != null);
            });
            Map<String, Object> queue = changes(find(seen, "router.config.queue"));
            assertEquals(
                    Map.of("before", (long) maxSize, "after", (long) newSize), numbers(queue.get("queue.maxSize")));
            assertEquals(1, queue.size(), "only the changed field: " + queue);

            AuditEvent drain = find(seen, "router.server.drain");
            assertEquals("disk swap " + run, drain.details().get("reason"));
            assertEquals(Map.of("before", false, "after", true), changes(drain).get("draining"));

            AuditEvent breaker = find(seen, "router.breaker.open");
            assertEquals("flaky GPU " + run, breaker.details().get("reason"));
            assertEquals(
                    Map.of("before", "closed", "after", "open"),
                    changes(breaker).get(RouterHarness.MODEL + ".state"),
                    breaker.details().toString());

            AuditEvent bans = find(seen, "router.ban.clear");
            assertEquals("cleared " + run, bans.details().get("reason"));
            assertTrue(bans.details().containsKey("bans"), bans.details().toString());
            assertTrue(
                    seen.stream().noneMatch(a -> a.action().equals("router.server.undrain")),
                    "refused actions change nothing and are not recorded as done");
        }
    }

    /** This test's events: a reason carrying its run id, or its config change. */
    @SuppressWarnings("unchecked")
    private static boolean ours(AuditEvent event, String run, int newSize) {
        Object reason = event.details().get("reason");
        if (reason instanceof String r && r.endsWith(run)) {
            return true;
        }
        if (event.action().equals("router.config.queue") && event.details().get("changes") instanceof Map<?, ?> c) {
            Object size = c.get("queue.maxSize");
            return size instanceof Map<?, ?> m
                    && m.get("after") instanceof Number after
                    && after.longValue() == newSize;
        }
        return false;
    }

    private static AuditEvent find(List<AuditEvent> seen, String action) {
        return seen.stream().filter(a -> a.action().equals(action)).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changes(AuditEvent event) {
        return (Map<String, Object>) event.details().get("changes");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> numbers(Object change) {
        Map<String, Object> out = new java.util.HashMap<>();
        ((Map<String, Object>) change).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    private static UsageRecord usage(List<EventPayload> seen, String requestId) {
        return seen.stream()
                .filter(p -> p instanceof UsageRecord u && u.requestId().equals(requestId))
                .map(UsageRecord.class::cast)
                .findFirst()
                .orElse(null);
    }
}
