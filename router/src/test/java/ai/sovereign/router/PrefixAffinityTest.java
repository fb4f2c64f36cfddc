package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.balance.PrefixBlocks;
import ai.sovereign.router.balance.PrefixHome;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.Endpoint;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Prefix-cache and session affinity: a conversation stays on its server while it can, and moves when it must. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrefixAffinityTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        ModelBehaviour behaviour = ModelBehaviour.instant().withOutputTokens(8);
        // Latency off: instant simulators differ only by noise, which must not decide these placements.
        router = RouterHarness.start(
                1,
                RouterHarness.fastSettings() + ",\"balancing\":{\"weights\":{\"latency\":0}}",
                List.of(),
                behaviour,
                behaviour,
                behaviour);
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    /** A multi-turn conversation: one system prompt of ~2,000 characters, then user and assistant turns. */
    final class Conversation {
        final ArrayNode messages = RouterHarness.JSON.createArrayNode();

        Conversation(String topic) {
            messages.addObject()
                    .put("role", "system")
                    .put(
                            "content",
                            ("You answer questions about " + topic + " with care and cite your sources. ").repeat(25));
        }

        /** Sends the next user turn; returns the server that answered it. */
        String turn(String text, String... headers) {
            messages.addObject().put("role", "user").put("content", text);
            ObjectNode body = RouterHarness.JSON.createObjectNode().put("model", RouterHarness.MODEL);
            body.set("messages", messages);
            long[] before = chats();
            HttpResponse<String> response = router.post("/v1/chat/completions", body.toString(), headers);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = RouterHarness.JSON.readTree(response.body());
            messages.addObject()
                    .put("role", "assistant")
                    .put(
                            "content",
                            answer.path("choices")
                                    .path(0)
                                    .path("message")
                                    .path("content")
                                    .asString());
            return served(before);
        }
    }

    private long[] chats() {
        return router.simulators.stream()
                .mapToLong(s -> s.metrics().requests(Endpoint.OPENAI_CHAT))
                .toArray();
    }

    private String served(long[] before) {
        long[] after = chats();
        for (int i = 0; i < after.length; i++) {
            if (after[i] > before[i]) {
                return "sim-" + i;
            }
        }
        throw new AssertionError("no simulator received the request");
    }

    @Test
    void theSameConversationKeepsLandingOnTheSameServerWhileItHasCapacity() {
        Set<String> servers = new HashSet<>();
        for (String topic : List.of("tides", "volcanoes", "glaciers")) {
            Conversation conversation = new Conversation(topic);
            String first = conversation.turn("Where do we start?");
            for (int i = 0; i < 6; i++) {
                assertEquals(first, conversation.turn("And then, step " + i + "?"), "turn " + i + " of " + topic);
            }
            servers.add(first);
        }
        assertTrue(servers.size() > 1, "new conversations spread by their prompts' homes: " + servers);
        JsonNode analytics = router.adminJson("GET", "analytics/prefix-affinity", null);
        assertTrue(analytics.path("servers").toString().contains("prefixHitRate"), analytics.toString());
        double hits = 0;
        for (JsonNode s : analytics.path("servers")) {
            hits += s.path("prefixHits").asDouble();
        }
        assertTrue(hits >= 18, "every follow-up turn counted as a prefix hit: " + analytics);
        assertTrue(router.admin("GET", "metrics", null).body().contains("orchestrator_prefix_affinity_hits_total{"));
    }

    @Test
    void whenItsServerIsSaturatedOrDrainedTheConversationMovesAndContinues() {
        Conversation conversation = new Conversation("rivers");
        String home = conversation.turn("Where do rivers begin?");
        assertEquals(home, conversation.turn("And where do they end?"));

        // Saturated: the only slot of its server (maxConcurrency 1) is held by a slow stream of the same prefix.
        int index = Integer.parseInt(home.substring("sim-".length()));
        router.simulators
                .get(index)
                .updateBehaviour(RouterHarness.MODEL, b -> b.withInterTokenLatency(Duration.ofMillis(100)));
        ObjectNode slow = RouterHarness.JSON
                .createObjectNode()
                .put("model", RouterHarness.MODEL)
                .put("stream", true);
        slow.set(
                "messages",
                conversation
                        .messages
                        .deepCopy()
                        .add(RouterHarness.JSON
                                .createObjectNode()
                                .put("role", "user")
                                .put("content", "Tell me slowly.")));
        CompletableFuture<List<String>> stream = CompletableFuture.supplyAsync(() -> {
            HttpResponse<Stream<String>> r = router.postStreaming("/v1/chat/completions", slow.toString());
            return r.body().filter(l -> l.startsWith("data:")).toList();
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> router.simulators.get(index).metrics().activeRequests() == 1);
        String moved = conversation.turn("Meanwhile, how long is the Nile?");
        assertNotEquals(home, moved, "its server had no free slot");
        assertEquals("data: [DONE]", stream.join().getLast());
        router.simulators.get(index).updateBehaviour(RouterHarness.MODEL, b -> b.withInterTokenLatency(Duration.ZERO));

        // Drained: every following turn goes elsewhere and succeeds, and sticks to its new server.
        String current = conversation.turn("And the Amazon?");
        router.adminJson("POST", "servers/" + current + "/drain", null);
        try {
            String next = conversation.turn("Which is wider?");
            assertNotEquals(current, next);
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                after.add(conversation.turn("Follow-up " + i));
            }
            assertEquals(List.of(next, next, next, next), after, "the conversation settles on its new server");
        } finally {
            router.adminJson("POST", "servers/" + current + "/undrain", null);
        }
    }

    /** The rendezvous key of a conversation: its first 64-character block as the router reads it (role, NUL, text). */
    private static long prefixKey(Conversation conversation) {
        return PrefixHome.key(PrefixBlocks.of(
                "system\u0000" + conversation.messages.get(0).path("content").asString(), 64, 1));
    }

    @Test
    void aPrefixNoServerHoldsGoesToItsHomeAndOverflowsAlongItsOwnOrder() {
        List<String> servers = List.of("sim-0", "sim-1", "sim-2");
        // All servers idle: each cold system prompt goes to the first server of its own rendezvous order (these three
        // have three different homes), not to whichever server is next in the round-robin of equal scores.
        Set<String> homes = new HashSet<>();
        for (String topic : List.of("comets", "storms", "geysers")) {
            Conversation conversation = new Conversation(topic);
            String home = PrefixHome.order(prefixKey(conversation), servers).getFirst();
            assertEquals(home, conversation.turn("Where do we start?"), topic);
            homes.add(home);
        }
        assertEquals(3, homes.size());

        // Its home busy (its only slot holds a slow stream of the same prompt): new conversations of that prompt go to
        // the second server of the prompt's own order, every time, not to the least loaded of the other two.
        Conversation slowOne = new Conversation("canyons");
        List<String> order = PrefixHome.order(prefixKey(slowOne), servers);
        int home = servers.indexOf(order.getFirst());
        router.simulators
                .get(home)
                .updateBehaviour(RouterHarness.MODEL, b -> b.withInterTokenLatency(Duration.ofMillis(100)));
        try {
            ObjectNode slow = RouterHarness.JSON
                    .createObjectNode()
                    .put("model", RouterHarness.MODEL)
                    .put("stream", true);
            slow.set(
                    "messages",
                    slowOne.messages
                            .deepCopy()
                            .add(RouterHarness.JSON
                                    .createObjectNode()
                                    .put("role", "user")
                                    .put("content", "Tell me slowly.")));
            CompletableFuture<List<String>> stream = CompletableFuture.supplyAsync(() -> {
                HttpResponse<Stream<String>> r = router.postStreaming("/v1/chat/completions", slow.toString());
                return r.body().filter(l -> l.startsWith("data:")).toList();
            });
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> router.simulators.get(home).metrics().activeRequests() == 1);
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        order.get(1),
                        new Conversation("canyons").turn("Meanwhile, question " + i + "?"),
                        "overflow " + i + " of a prompt whose home " + order.getFirst() + " is full");
            }
            assertEquals("data: [DONE]", stream.join().getLast());
        } finally {
            router.simulators
                    .get(home)
                    .updateBehaviour(RouterHarness.MODEL, b -> b.withInterTokenLatency(Duration.ZERO));
        }
    }

    @Test
    void requestsOfOneSessionStayOnOneServerWhateverTheirPrompts() {
        String first = null;
        for (int i = 0; i < 6; i++) {
            long[] before = chats();
            HttpResponse<String> r = router.post(
                    "/v1/chat/completions",
                    "{\"model\":\"" + RouterHarness.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"short "
                            + i + "\"}]}",
                    "X-Session-Id",
                    "agent-42");
            assertEquals(200, r.statusCode(), r.body());
            String server = served(before);
            first = first == null ? server : first;
            assertEquals(first, server, "request " + i);
        }
    }

    @Test
    void signalWeightsAreVersionedAndChangeLive() {
        int version = router.adminJson("GET", "config", null).path("version").asInt();
        HttpResponse<String> bad = router.admin("PATCH", "config/balancing", "{\"weights\":{\"prefix\":-1}}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("balancing.weights.prefix"), bad.body());
        assertEquals(
                version, router.adminJson("GET", "config", null).path("version").asInt(), "rejected: unchanged");

        router.adminJson("PATCH", "config/balancing", "{\"weights\":{\"prefix\":0}}");
        try {
            JsonNode config = router.adminJson("GET", "config", null);
            assertEquals(version + 1, config.path("version").asInt());
            JsonNode weights = config.path("config").path("balancing").path("weights");
            assertEquals(0.0, weights.path("prefix").asDouble(), config.toString());
            assertEquals(1.0, weights.path("load").asDouble(), config.toString());
            assertEquals(0.0, weights.path("latency").asDouble(), "from the bootstrap document");
            Conversation conversation = new Conversation("deserts");
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                servers.add(conversation.turn("Question " + i));
            }
            assertTrue(servers.size() > 1, "without prefix weight the turns spread by load: " + servers);
        } finally {
            router.adminJson("PATCH", "config/balancing", "{\"weights\":{\"prefix\":1.0}}");
        }
    }
}
