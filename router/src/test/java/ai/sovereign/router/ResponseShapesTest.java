package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.TestKafka;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The control plane's answers keep their documented shape: field names in order, a null or empty field shown as such
 * (not left out), and the fields only some answers carry ({@code replayed}, {@code configVersion}, {@code config},
 * {@code telemetry}) only there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseShapesTest {

    static final String HOST = "shapes-host";

    RouterHarness router;

    @BeforeAll
    void start() {
        router = RouterHarness.start(2, RouterHarness.fastSettings(), List.of(), ModelBehaviour.instant());
        await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
    }

    @AfterAll
    void stop() {
        router.close();
    }

    static List<String> fields(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }

    @Test
    void aServerShowsEveryFieldInOrderWithItsNulls() {
        JsonNode server =
                router.adminJson("GET", "servers", null).path("servers").get(0);
        assertEquals(
                List.of(
                        "id",
                        "url",
                        "type",
                        "maxConcurrency",
                        "slotShare",
                        "status",
                        "healthy",
                        "draining",
                        "maintenance",
                        "inFlight",
                        "served",
                        "models",
                        "loadedModels",
                        "gpuMemoryFreeRatio",
                        "lastError",
                        "registeredBy",
                        "lastCheckAt"),
                fields(server));
        assertTrue(server.path("maintenance").isNull(), server.toString());
        assertTrue(server.path("loadedModels").isNull(), "an openai server cannot tell what is loaded: " + server);
        assertTrue(server.path("registeredBy").isNull(), server.toString());

        JsonNode added = router.adminJson(
                "POST",
                "servers/add",
                "{\"id\":\"shapes-extra\",\"url\":\"http://127.0.0.1:1\",\"type\":\"openai\",\"maxConcurrency\":1}");
        assertEquals("configVersion", fields(added).getLast(), "only servers/add names the config version");
        assertTrue(added.path("models").isArray() && added.path("models").isEmpty(), added.toString());
        router.adminJson("DELETE", "servers/shapes-extra", null);

        JsonNode maintenance = router.adminJson(
                        "POST", "servers/sim-0/maintenance", "{\"enabled\":true,\"reason\":\"GPU swap\"}")
                .path("maintenance");
        router.adminJson("POST", "servers/sim-0/maintenance", "{\"enabled\":false}");
        assertEquals(List.of("reason", "by", "since"), fields(maintenance));
    }

    @Test
    void aModelsStatusShowsEmptyListsAndMaps() {
        JsonNode embed = null;
        for (JsonNode model : router.adminJson("GET", "models/status", null).path("models")) {
            if (model.path("model").asString().equals("nomic-embed-text")) {
                embed = model;
            }
        }
        assertEquals(
                List.of("model", "servers", "available", "unavailable", "loadedOn", "breakers", "banned", "queued"),
                fields(embed));
        assertTrue(
                embed.path("unavailable").isArray() && embed.path("unavailable").isEmpty(), embed.toString());
        assertTrue(embed.path("breakers").isObject() && embed.path("breakers").isEmpty(), embed.toString());
        assertTrue(embed.path("banned").isArray() && embed.path("banned").isEmpty(), embed.toString());
        JsonNode bans = router.adminJson("GET", "bans", null);
        assertTrue(bans.path("bans").isArray() && bans.path("bans").isEmpty(), bans.toString());
    }

    @Test
    void historyListsVersionsWithoutTheirDocuments() {
        JsonNode history = router.adminJson("GET", "config/history", null);
        assertEquals(List.of("current", "versions"), fields(history));
        assertEquals(
                List.of("version", "author", "change", "createdAt"),
                fields(history.path("versions").get(0)));
        assertEquals(
                List.of("version", "author", "change", "createdAt", "config"),
                fields(router.adminJson("GET", "config", null)));
    }

    @Test
    void theModelListIsOpenAisWithTheServers() throws Exception {
        JsonNode list = RouterHarness.JSON.readTree(router.send(HttpRequest.newBuilder(router.uri("/v1/models"))
                        .header("X-Sovereign-Token", router.userToken)
                        .GET()
                        .build())
                .body());
        assertEquals(List.of("object", "data"), fields(list));
        assertEquals(
                List.of("id", "object", "created", "owned_by", "servers"),
                fields(list.path("data").get(0)));
    }

    @Test
    void aCommandShowsItsNullsAndOnlyThePostSaysWhetherItWasReplayed() throws Exception {
        reportTelemetry();
        JsonNode posted = router.adminJson("POST", "hosts/" + HOST + "/models/llama3.1:8b/pull", null);
        List<String> view = List.of(
                "id",
                "hostId",
                "action",
                "model",
                "serverUrl",
                "keepAlive",
                "status",
                "message",
                "error",
                "progress",
                "requestedBy",
                "idempotencyKey",
                "requestedAt",
                "updatedAt",
                "finishedAt");
        assertEquals(concat(view, "replayed"), fields(posted));
        assertFalse(posted.path("replayed").asBoolean());
        assertTrue(posted.path("error").isNull() && posted.path("finishedAt").isNull(), posted.toString());
        assertEquals(List.of("completedBytes", "totalBytes", "ratio"), fields(posted.path("progress")));
        assertTrue(posted.path("progress").path("ratio").isNull(), posted.toString());

        JsonNode read = router.adminJson("GET", "commands/" + posted.path("id").asString(), null);
        assertEquals(view, fields(read));
        assertEquals(
                view,
                fields(router.adminJson("GET", "commands?hostId=" + HOST, null)
                        .path("commands")
                        .get(0)));

        JsonNode host = router.adminJson("GET", "hosts/" + HOST, null);
        assertEquals("telemetry", fields(host).getLast());
        assertFalse(
                router.adminJson("GET", "hosts", null).path("hosts").get(0).has("telemetry"),
                "the list shows hosts in short");
    }

    private static List<String> concat(List<String> fields, String last) {
        List<String> all = new java.util.ArrayList<>(fields);
        all.add(last);
        return all;
    }

    private void reportTelemetry() throws Exception {
        EventCodec codec = new EventCodec();
        try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
            GpuTelemetry.ServerStatus server = new GpuTelemetry.ServerStatus(
                    HOST + ":11434",
                    "http://" + HOST + ":11434",
                    GpuTelemetry.ServerType.OLLAMA,
                    4,
                    false,
                    "not reachable from the test",
                    List.of(),
                    List.of(),
                    null,
                    null,
                    null);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        GpuTelemetry t = new GpuTelemetry(
                                HOST,
                                "test",
                                60,
                                Instant.now(),
                                new GpuTelemetry.GpuSourceStatus(GpuTelemetry.SourceState.OK, null),
                                List.of(),
                                new GpuTelemetry.HostStats(null, null, null, null, null, null),
                                List.of(server));
                        producer.send(new ProducerRecord<>(
                                        Topics.GPU_TELEMETRY,
                                        HOST,
                                        codec.encode(CloudEvent.of("/test/agent", HOST, t))))
                                .get();
                        return router.admin("GET", "hosts/" + HOST, null).statusCode() == 200;
                    });
        }
    }
}
