package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.recovery.BanList;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two router replicas on one database: what an operator does on one is obeyed by the other within 2 s (drain,
 * maintenance, a forced breaker, the queue pause, a config change), and a replica started later finds it all.
 */
class ReplicatedFleetStateTest {

    private static final Duration WITHIN = Duration.ofSeconds(2);

    @Test
    void whatOneReplicaIsToldTheOtherObeys() {
        Map<String, Object> database = new java.util.HashMap<>(SharedInfrastructure.postgresProperties(
                DatabaseRoles.ROUTER, SharedInfrastructure.postgres().newServiceDatabase("replicas")));
        database.put("router.heartbeat-interval", "500ms");
        try (RouterHarness a = RouterHarness.start(
                        4, RouterHarness.fastSettings(), List.of(), database, ModelBehaviour.instant());
                RouterHarness b = RouterHarness.start(
                        4, RouterHarness.fastSettings(), List.of(), database, ModelBehaviour.instant())) {
            // the two replicas divide each server's 4 slots between them; alone again, one takes all 4
            awaitOn(
                    a,
                    "servers",
                    servers -> server(servers, "sim-0").path("slotShare").asInt() == 2);
            awaitOn(
                    b,
                    "servers",
                    servers -> server(servers, "sim-0").path("slotShare").asInt() == 2);
            a.adminJson("POST", "servers/sim-0/drain?reason=replica%20test", null);
            long drained = awaitOn(
                    b,
                    "servers",
                    servers -> server(servers, "sim-0").path("draining").asBoolean());
            a.adminJson("POST", "circuit-breakers/sim-0/" + RouterHarness.MODEL + "/open", null);
            long opened = awaitOn(
                    b,
                    "circuit-breakers/sim-0/" + RouterHarness.MODEL,
                    breaker -> breaker.path("state").asString().equals("open"));
            b.adminJson("POST", "queue/pause", null);
            long paused = awaitOn(a, "queue", queue -> queue.path("paused").asBoolean());
            int size = a.adminJson("GET", "config", null)
                    .path("config")
                    .path("queue")
                    .path("maxSize")
                    .intValue();
            a.adminJson("PATCH", "config/queue", "{\"maxSize\": " + (size + 11) + "}");
            long configured = awaitOn(
                    b,
                    "config",
                    c -> c.path("config").path("queue").path("maxSize").intValue() == size + 11);
            a.adminJson("POST", "servers/sim-0/maintenance", "{\"enabled\": true, \"reason\": \"swap GPU\"}");
            awaitOn(
                    b,
                    "servers",
                    servers -> server(servers, "sim-0")
                            .path("maintenance")
                            .path("reason")
                            .asString()
                            .equals("swap GPU"));

            // undone on the other replica, too
            b.adminJson("POST", "servers/sim-0/undrain", null);
            awaitOn(
                    a,
                    "servers",
                    servers -> !server(servers, "sim-0").path("draining").asBoolean());
            b.adminJson("POST", "circuit-breakers/sim-0/" + RouterHarness.MODEL + "/reset", null);
            awaitOn(
                    a,
                    "circuit-breakers/sim-0/" + RouterHarness.MODEL,
                    breaker -> breaker.path("state").asString().equals("closed"));
            a.adminJson("POST", "queue/resume", null);
            awaitOn(b, "queue", queue -> !queue.path("paused").asBoolean());

            // a replica that starts later loads what is in force, and the three divide the 4 slots as 2 + 1 + 1
            try (RouterHarness c = RouterHarness.start(
                    4, RouterHarness.fastSettings(), List.of(), database, ModelBehaviour.instant())) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> List.of(a, b, c).stream()
                                        .mapToInt(r -> server(r.adminJson("GET", "servers", null), "sim-0")
                                                .path("slotShare")
                                                .asInt())
                                        .sum()
                                == 4);
                JsonNode sim0 = server(c.adminJson("GET", "servers", null), "sim-0");
                assertEquals("swap GPU", sim0.path("maintenance").path("reason").asString(), sim0.toString());
                assertEquals(
                        size + 11,
                        c.adminJson("GET", "config", null)
                                .path("config")
                                .path("queue")
                                .path("maxSize")
                                .intValue());
            }
            System.out.printf(
                    "replicated within: drain %d ms, breaker %d ms, queue pause %d ms, config %d ms%n",
                    drained, opened, paused, configured);
            assertTrue(List.of(drained, opened, paused, configured).stream().allMatch(ms -> ms <= WITHIN.toMillis()));
        }
    }

    /**
     * Any login of the database can send a notification: a neighbour service's login (the gateway's) cannot write the
     * fleet state, and its forged "clear all bans" announcement clears nothing, because a notification only makes the
     * replicas read the table.
     */
    @Test
    void aNeighboursLoginCanNeitherWriteTheFleetStateNorClearBansByNotifying() throws Exception {
        String url = SharedInfrastructure.postgres().newServiceDatabase("replicas");
        Map<String, Object> database =
                new java.util.HashMap<>(SharedInfrastructure.postgresProperties(DatabaseRoles.ROUTER, url));
        database.put("router.heartbeat-interval", "500ms");
        try (RouterHarness a = RouterHarness.start(
                        4, RouterHarness.fastSettings(), List.of(), database, ModelBehaviour.instant());
                RouterHarness b = RouterHarness.start(
                        4, RouterHarness.fastSettings(), List.of(), database, ModelBehaviour.instant())) {
            a.context.getBean(BanList.class).ban("sim-0", RouterHarness.MODEL, Duration.ofMinutes(5), "failing");
            Map<String, Object> neighbour = SharedInfrastructure.postgresProperties(DatabaseRoles.GATEWAY, url);
            try (Connection c = DriverManager.getConnection(
                            url, (String) neighbour.get("datasources.default.username"), (String)
                                    neighbour.get("datasources.default.password"));
                    Statement st = c.createStatement()) {
                st.execute("NOTIFY router_fleet_state, 'bans:all'");
                st.execute("SELECT pg_notify('router_fleet_state', 'config:999')");
                SQLException refused = assertThrows(
                        SQLException.class,
                        () -> st.execute("INSERT INTO router.fleet_state VALUES"
                                + " ('drain', 'sim-0', '{\"draining\":true}', 'intruder', now())"));
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
            // notifications arrive in commit order: once b's drain is seen on a, the forged ones were handled before
            b.adminJson("POST", "servers/sim-0/drain", null);
            awaitOn(
                    a,
                    "servers",
                    servers -> server(servers, "sim-0").path("draining").asBoolean());
            assertEquals(
                    1, a.adminJson("GET", "bans", null).path("bans").size(), "the forged announcement cleared no ban");
            // a real clear, made on b, reaches a
            b.adminJson("DELETE", "bans?reason=fixed", null);
            awaitOn(a, "bans", bans -> bans.path("bans").isEmpty());
        }
    }

    /** Waits (at most 2 s) until {@code path} on {@code replica} satisfies {@code condition}; returns the wait in ms. */
    private static long awaitOn(RouterHarness replica, String path, Predicate<JsonNode> condition) {
        long start = System.nanoTime();
        await().atMost(WITHIN)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> condition.test(replica.adminJson("GET", path, null)));
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static JsonNode server(JsonNode servers, String id) {
        for (JsonNode server : servers.path("servers")) {
            if (server.path("id").asString().equals(id)) {
                return server;
            }
        }
        throw new AssertionError("no server " + id + " in " + servers);
    }
}
