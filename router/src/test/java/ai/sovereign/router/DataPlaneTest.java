package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** Chat, completions, embeddings and streaming through the router to an OpenAI-type and an Ollama-type server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        ModelBehaviour behaviour = ModelBehaviour.instant()
                .withInterTokenLatency(Duration.ofMillis(20))
                .withOutputTokens(20);
        router =
                RouterHarness.start(4, RouterHarness.fastSettings(), List.of("openai", "ollama"), behaviour, behaviour);
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    /** Runs {@code check} once on each server type: the other server is drained meanwhile. */
    private void onEachServerType(Runnable check) {
        for (String other : List.of("sim-1", "sim-0")) {
            router.adminJson("POST", "servers/" + other + "/drain", null);
            try {
                check.run();
            } finally {
                router.adminJson("POST", "servers/" + other + "/undrain", null);
            }
        }
    }

    @Test
    void chatIsAnsweredInOpenAiShapeByEitherServerType() {
        onEachServerType(() -> {
            HttpResponse<String> response =
                    router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = RouterHarness.JSON.readTree(response.body());
            assertEquals("chat.completion", body.path("object").asString());
            assertTrue(body.path("choices")
                            .get(0)
                            .path("message")
                            .path("content")
                            .asString()
                            .length()
                    > 5);
            assertTrue(body.path("usage").path("completion_tokens").asInt() > 0, response.body());
        });
        JsonNode servers = router.adminJson("GET", "servers", null).path("servers");
        for (JsonNode server : servers) {
            assertTrue(server.path("served").asLong() > 0, "both server types served: " + servers);
        }
    }

    @Test
    void completionsAndEmbeddingsAreTranslated() {
        onEachServerType(this::completionAndEmbedding);
    }

    private void completionAndEmbedding() {
        HttpResponse<String> completion = router.post(
                "/v1/completions",
                "{\"model\":\"" + RouterHarness.MODEL + "\",\"prompt\":\"Once upon\",\"max_tokens\":5}");
        assertEquals(200, completion.statusCode(), completion.body());
        assertEquals(
                "text_completion",
                RouterHarness.JSON.readTree(completion.body()).path("object").asString());
        {
            HttpResponse<String> embedding =
                    router.post("/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"]}");
            assertEquals(200, embedding.statusCode(), embedding.body());
            JsonNode data = RouterHarness.JSON.readTree(embedding.body()).path("data");
            assertEquals(2, data.size());
            assertEquals(768, data.get(0).path("embedding").size());
        }
    }

    @Test
    void streamsArriveTokenByTokenBeforeTheAnswerIsComplete() {
        onEachServerType(this::oneStream);
    }

    private void oneStream() {
        {
            long start = System.nanoTime();
            HttpResponse<Stream<String>> response =
                    router.postStreaming("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true));
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            Iterator<String> lines = response.body().iterator();
            String first = lines.next();
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(first.startsWith("data: {"), first);
            int events = 1;
            String last = first;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data:")) {
                    events++;
                    last = line;
                }
            }
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("data: [DONE]", last);
            assertTrue(events >= 20, "one event per token, got " + events);
            // 20 tokens 20 ms apart: the first event must not wait for the whole answer
            assertTrue(
                    firstMs < totalMs - 200, "first event after " + firstMs + " ms, whole stream " + totalMs + " ms");
        }
    }

    @Test
    void unknownModelIsA404NamingTheModelsThatExist() {
        HttpResponse<String> response = router.post("/v1/chat/completions", RouterHarness.chat("nope:1b", false));
        assertEquals(404, response.statusCode());
        JsonNode error = RouterHarness.JSON.readTree(response.body()).path("error");
        assertTrue(error.path("message").asString().contains(RouterHarness.MODEL), response.body());
        assertEquals("model", error.path("param").asString());
    }

    @Test
    void badInputIsA400NamingTheField() {
        HttpResponse<String> response =
                router.post("/v1/chat/completions", "{\"model\":\"" + RouterHarness.MODEL + "\"}");
        assertEquals(400, response.statusCode());
        assertEquals(
                "messages",
                RouterHarness.JSON
                        .readTree(response.body())
                        .path("error")
                        .path("param")
                        .asString());
        assertEquals(400, router.post("/v1/chat/completions", "not json").statusCode());
        assertEquals(
                400,
                router.post(
                                "/v1/chat/completions",
                                RouterHarness.chat(RouterHarness.MODEL, false),
                                "X-Priority",
                                "urgent")
                        .statusCode());
    }

    @Test
    void modelsListTheUnionWithTheServersHoldingEach() {
        HttpResponse<String> response = router.send(java.net.http.HttpRequest.newBuilder(router.uri("/v1/models"))
                .header("X-Sovereign-Token", router.userToken)
                .GET()
                .build());
        assertEquals(200, response.statusCode());
        JsonNode data = RouterHarness.JSON.readTree(response.body()).path("data");
        boolean found = false;
        for (JsonNode model : data) {
            if (model.path("id").asString().equals(RouterHarness.MODEL)) {
                found = model.path("servers").size() == 2;
            }
        }
        assertTrue(found, response.body());
    }

    @Test
    void controlPlaneNeedsAnAdminToken() {
        HttpResponse<String> response =
                router.send(java.net.http.HttpRequest.newBuilder(router.uri("/api/orchestrator/servers"))
                        .GET()
                        .build());
        assertEquals(401, response.statusCode());
    }

    @Test
    void clientDisconnectCancelsTheUpstreamRequestAndFreesTheSlot() throws Exception {
        router.simulators.forEach(sim -> sim.updateBehaviour(RouterHarness.MODEL, b -> b.withOutputTokens(500)));
        try {
            HttpResponse<Stream<String>> response =
                    router.postStreaming("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, true));
            Iterator<String> lines = response.body().iterator();
            assertTrue(lines.next().startsWith("data:"));
            assertEquals(
                    1, router.adminJson("GET", "in-flight", null).path("total").asInt());
            response.body().close();
            // 500 tokens 20 ms apart would take 10 s; the slot must be free long before
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> router.adminJson("GET", "in-flight", null)
                                    .path("total")
                                    .asInt()
                            == 0);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> router.simulators.stream()
                            .allMatch(sim -> sim.metrics().runningRequests(RouterHarness.MODEL) == 0));
        } finally {
            router.simulators.forEach(sim -> sim.updateBehaviour(RouterHarness.MODEL, b -> b.withOutputTokens(20)));
        }
    }

    @Test
    void aFailureAfterTheFirstByteEndsTheStreamWithAnSseErrorEvent() {
        router.simulators.forEach(sim -> sim.updateBehaviour("org/model", b -> b.withResetAfterTokens(3)));
        try {
            HttpResponse<Stream<String>> response =
                    router.postStreaming("/v1/chat/completions", RouterHarness.chat("org/model", true));
            assertEquals(200, response.statusCode());
            List<String> events =
                    response.body().filter(l -> l.startsWith("data:")).toList();
            assertTrue(events.size() >= 2, "tokens before the failure: " + events);
            assertTrue(events.getLast().startsWith("data: {\"error\""), "last event is an error: " + events.getLast());
        } finally {
            router.simulators.forEach(
                    sim -> sim.updateBehaviour("org/model", b -> b.withResetAfterTokens(ModelBehaviour.NEVER_RESET)));
        }
    }

    @Test
    void failuresBeforeTheFirstByteAreRetriedOnAnotherServer() {
        router.simulators.get(0).updateBehaviour("org/model", b -> b.withErrorRate(1.0));
        try {
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> response =
                        router.post("/v1/chat/completions", RouterHarness.chat("org/model", i % 2 == 0));
                assertEquals(200, response.statusCode(), response.body());
                assertFalse(response.body().contains("\"error\""), response.body());
            }
            String errors = router.adminJson("GET", "analytics/errors", null).toString();
            assertTrue(errors.contains("sim-0") && errors.contains("HTTP 500"), errors);
            String metrics = router.admin("GET", "metrics", null).body();
            assertTrue(metrics.contains("orchestrator_retries_total"), metrics);
        } finally {
            router.simulators.get(0).updateBehaviour("org/model", b -> b.withErrorRate(0));
            router.admin("POST", "circuit-breakers/sim-0/org%2Fmodel/reset", null);
        }
    }

    @Test
    void modelNamesWithColonsAndSlashesAreDecodedInAdminPaths() {
        router.post("/v1/chat/completions", RouterHarness.chat("org/model", false));
        router.post("/v1/chat/completions", RouterHarness.chat("org/model", false));
        JsonNode opened = router.adminJson("POST", "circuit-breakers/sim-0/llama3.1:8b/open", null);
        assertEquals("open", opened.path("state").asString());
        assertTrue(opened.path("manual").asBoolean());
        try {
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        200,
                        router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false))
                                .statusCode());
            }
            assertEquals(
                    "open",
                    router.adminJson("GET", "circuit-breakers/sim-0/llama3.1%3A8b", null)
                            .path("state")
                            .asString());
        } finally {
            assertEquals(
                    "closed",
                    router.adminJson("POST", "circuit-breakers/sim-0/llama3.1:8b/reset", null)
                            .path("state")
                            .asString());
        }
        String server = router.adminJson("GET", "circuit-breakers", null)
                        .toString()
                        .contains("\"serverId\":\"sim-1\",\"model\":\"org/model\"")
                ? "sim-1"
                : "sim-0";
        assertEquals(
                "org/model",
                router.adminJson("GET", "circuit-breakers/" + server + "/org%2Fmodel", null)
                        .path("model")
                        .asString());
        assertEquals(
                "org/model",
                router.adminJson("GET", "circuit-breakers/" + server + "/org/model", null)
                        .path("model")
                        .asString());
        assertEquals(
                "half-open",
                router.adminJson("POST", "circuit-breakers/" + server + "/org%2Fmodel/half-open", null)
                        .path("state")
                        .asString());
        assertEquals(
                "closed",
                router.adminJson("POST", "circuit-breakers/" + server + "/reset", null)
                                .path("reset")
                                .isNumber()
                        ? "closed"
                        : "x");
        assertEquals(200, router.admin("DELETE", "bans/model/org%2Fmodel", null).statusCode());
        assertEquals(
                200,
                router.admin("DELETE", "bans/" + server + "/llama3.1:8b", null).statusCode());
        assertEquals(200, router.admin("DELETE", "bans/server/" + server, null).statusCode());
        assertEquals(
                404,
                router.admin("GET", "circuit-breakers/sim-0/never:1b", null).statusCode());
    }
}
