package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventPayload;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.events.FleetCommandResult.Status;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.TestKafka;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The router's fleet command API on real Kafka and PostgreSQL, with this test playing the host's agent: commands go
 * out on fleet.commands.v1 keyed by host, answers on fleet.command-results.v1 become the command's status and
 * progress, which survive a router restart.
 */
class FleetCommandsApiTest {

    private final EventCodec codec = new EventCodec();
    private final String hostId = "cmd-host-" + UUID.randomUUID().toString().substring(0, 8);
    private final String hostServer = "http://10.0.0.7:11434";

    @Test
    void commandsGoToTheHostTheirAnswersBecomeStatusAndProgressAndSurviveARestart() {
        Map<String, Object> extra = new HashMap<>(SharedInfrastructure.postgresProperties(DatabaseRoles.ROUTER));
        extra.put("router.commands.results-group", "router-results-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = TestKafka.producer();
                KafkaConsumer<String, byte[]> consumer = TestKafka.consumer("fleet-commands-test")) {
            consumer.subscribe(List.of(Topics.FLEET_COMMANDS, Topics.AUDIT_EVENTS));
            String pullId;
            String crashId;
            try (RouterHarness router =
                    RouterHarness.start(2, RouterHarness.fastSettings(), List.of(), extra, ModelBehaviour.instant())) {
                assertEquals(
                        404,
                        router.admin("POST", "hosts/" + hostId + "/models/llama3.1:8b/pull", null)
                                .statusCode(),
                        "no telemetry from the host yet");
                reportTelemetry(router, producer);

                // a model with ':' and one with '/', encoded or not
                JsonNode pull = router.adminJson("POST", "hosts/" + hostId + "/models/llama3.1:8b/pull", null);
                pullId = pull.path("id").asString();
                assertEquals("pending", pull.path("status").asString());
                assertEquals("llama3.1:8b", pull.path("model").asString());
                assertEquals("ops-admin", pull.path("requestedBy").asString());
                assertEquals(
                        "org/model",
                        router.adminJson("POST", "hosts/" + hostId + "/models/org%2Fmodel/delete", null)
                                .path("model")
                                .asString());
                String plain = router.adminJson("POST", "hosts/" + hostId + "/models/org/model/unload", null)
                        .path("id")
                        .asString();
                assertEquals(
                        "org/model",
                        router.adminJson("GET", "commands/" + plain, null)
                                .path("model")
                                .asString());
                JsonNode preload = router.adminJson(
                        "POST",
                        "hosts/" + hostId + "/models/qwen2.5:7b/preload",
                        "{\"keepAlive\":\"10m\",\"serverUrl\":\"" + hostServer + "/\"}");
                assertEquals("10m", preload.path("keepAlive").asString());
                assertEquals(hostServer, preload.path("serverUrl").asString(), "the URL as the host reports it");

                // the same Idempotency-Key gives back the same command; a different command under it is refused
                HttpResponse<String> first =
                        keyed(router, "hosts/" + hostId + "/models/nomic-embed-text/pull", "key-1");
                HttpResponse<String> again =
                        keyed(router, "hosts/" + hostId + "/models/nomic-embed-text/pull", "key-1");
                assertEquals(202, first.statusCode(), first.body());
                assertEquals(202, again.statusCode(), again.body());
                String keyedId = json(first).path("id").asString();
                assertEquals(keyedId, json(again).path("id").asString());
                assertTrue(json(again).path("replayed").asBoolean());
                assertTrue(first.headers()
                        .firstValue("Location")
                        .orElseThrow()
                        .endsWith("/api/orchestrator/commands/" + keyedId));
                HttpResponse<String> reused = keyed(router, "hosts/" + hostId + "/models/other:1b/pull", "key-1");
                assertEquals(409, reused.statusCode(), reused.body());
                assertEquals(
                        "idempotency_key_reused",
                        json(reused).path("error").path("code").asString());
                String chosen = UUID.randomUUID().toString();
                assertEquals(
                        chosen,
                        router.adminJson(
                                        "POST",
                                        "hosts/" + hostId + "/models/llama3.1:8b/unload",
                                        "{\"commandId\":\"" + chosen + "\"}")
                                .path("id")
                                .asString());
                assertTrue(router.adminJson(
                                "POST",
                                "hosts/" + hostId + "/models/llama3.1:8b/unload",
                                "{\"commandId\":\"" + chosen + "\"}")
                        .path("replayed")
                        .asBoolean());

                // bad input: OpenAI-style errors with the right status
                assertError(router.admin("POST", "hosts/" + hostId + "/models/llama3.1:8b/explode", null), 404, null);
                assertError(router.admin("POST", "hosts/" + hostId + "/models/llama3.1:8b", null), 404, null);
                assertError(
                        router.admin("POST", "hosts/" + hostId + "/models/llama3.1:8b/pull", "{\"keepAlive\":\"10m\"}"),
                        400,
                        "keepAlive");
                assertError(
                        router.admin(
                                "POST", "hosts/" + hostId + "/models/llama3.1:8b/preload", "{\"keepAlive\":\"soon\"}"),
                        400,
                        "keepAlive");
                assertError(
                        router.admin("POST", "hosts/" + hostId + "/models/llama3.1:8b/preload", "{\"keepAlive\":10}"),
                        400,
                        "keepAlive");
                assertError(
                        router.admin(
                                "POST", "hosts/" + hostId + "/models/llama3.1:8b/pull", "{\"commandId\":\"nope\"}"),
                        400,
                        "commandId");
                assertError(
                        router.admin(
                                "POST",
                                "hosts/" + hostId + "/models/llama3.1:8b/pull",
                                "{\"serverUrl\":\"http://elsewhere:1\"}"),
                        400,
                        "serverUrl");
                assertError(
                        router.admin("POST", "hosts/" + hostId + "/models/llama3.1:8b/pull", "not json"), 400, null);
                assertError(router.admin("GET", "commands/" + UUID.randomUUID(), null), 404, null);
                assertError(router.admin("GET", "commands?limit=0", null), 400, "limit");
                assertEquals(
                        401,
                        router.send(HttpRequest.newBuilder(router.uri(
                                                "/api/orchestrator/hosts/" + hostId + "/models/llama3.1:8b/pull"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build())
                                .statusCode());

                // what went out: one event per new command, keyed by host; one audit event each
                List<CloudEvent<?>> seen = new CopyOnWriteArrayList<>();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        CloudEvent<EventPayload> event = codec.decode(r.value());
                        if (event.data() instanceof FleetCommand c && c.hostId().equals(hostId)) {
                            assertEquals(hostId, r.key(), "keyed by host id");
                        }
                        seen.add(event);
                    });
                    return commands(seen).size() == 6 && audits(seen).size() == 6;
                });
                FleetCommand sent = commands(seen).stream()
                        .filter(c -> c.commandId().equals(pullId))
                        .findFirst()
                        .orElseThrow();
                assertEquals(FleetCommand.Action.PULL, sent.action());
                assertEquals("llama3.1:8b", sent.model());
                assertEquals(hostId, sent.hostId());
                assertEquals(
                        1,
                        commands(seen).stream()
                                .filter(c -> c.commandId().equals(keyedId))
                                .count());
                assertTrue(commands(seen).stream()
                        .anyMatch(c -> c.model().equals("org/model") && c.action() == FleetCommand.Action.DELETE));
                assertTrue(commands(seen).stream()
                        .anyMatch(c -> "10m".equals(c.keepAlive()) && hostServer.equals(c.serverUrl())));
                AuditEvent audit = audits(seen).stream()
                        .filter(a -> a.resourceId().equals(pullId))
                        .findFirst()
                        .orElseThrow();
                assertEquals("router.fleet-command.pull", audit.action());
                assertEquals("fleet_command", audit.resourceType());
                assertEquals("ops-admin", audit.actor());

                // the host answers: accepted, progress, success; a late progress report changes nothing
                answer(producer, pullId, Status.ACCEPTED, "pull llama3.1:8b on " + hostServer, null, null);
                answer(producer, pullId, Status.IN_PROGRESS, "pulling 6a0746a1ec1a", 50L, 200L);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> router.adminJson("GET", "commands/" + pullId, null)
                                        .path("progress")
                                        .path("completedBytes")
                                        .asLong()
                                == 50);
                JsonNode running = router.adminJson("GET", "commands/" + pullId, null);
                assertEquals("running", running.path("status").asString());
                assertEquals(200, running.path("progress").path("totalBytes").asLong());
                assertEquals(0.25, running.path("progress").path("ratio").asDouble(), 1e-9);
                assertEquals("pulling 6a0746a1ec1a", running.path("message").asString());
                answer(producer, pullId, Status.IN_PROGRESS, "pulling 6a0746a1ec1a", 200L, 200L);
                answer(producer, pullId, Status.SUCCEEDED, "pulled llama3.1:8b on " + hostServer, null, null);
                answer(producer, pullId, Status.IN_PROGRESS, "pulling 6a0746a1ec1a", 10L, 200L);
                answer(producer, plain, Status.REFUSED, "model \"org/model\" is not allowed on this host", null, null);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> router.adminJson("GET", "commands/" + plain, null)
                                .path("status")
                                .asString()
                                .equals("refused"));
                JsonNode done = router.adminJson("GET", "commands/" + pullId, null);
                assertEquals("succeeded", done.path("status").asString(), done.toString());
                assertEquals(200, done.path("progress").path("completedBytes").asLong(), "the late report is ignored");
                assertTrue(done.path("error").isNull());
                assertTrue(done.path("finishedAt").isString());
                assertTrue(router.adminJson("GET", "commands/" + plain, null)
                        .path("error")
                        .asString()
                        .contains("not allowed"));

                String metrics = router.admin("GET", "metrics", null).body();
                assertTrue(
                        hasSeries(metrics, "orchestrator_fleet_commands_requested_total", "action=\"pull\""), metrics);
                assertTrue(
                        hasSeries(
                                metrics,
                                "orchestrator_fleet_commands_finished_total",
                                "action=\"pull\"",
                                "status=\"succeeded\""),
                        metrics);
                assertTrue(
                        hasSeries(
                                metrics,
                                "orchestrator_fleet_commands_finished_total",
                                "action=\"unload\"",
                                "status=\"refused\""),
                        metrics);

                JsonNode listed = router.adminJson("GET", "commands?hostId=" + hostId, null)
                        .path("commands");
                assertEquals(6, listed.size());
                assertEquals(
                        0,
                        router.adminJson("GET", "commands?hostId=nobody", null)
                                .path("commands")
                                .size());
                assertEquals(
                        2,
                        router.adminJson("GET", "commands?limit=2", null)
                                .path("commands")
                                .size());

                crashId = router.adminJson("POST", "hosts/" + hostId + "/models/llama3.1:70b/pull", null)
                        .path("id")
                        .asString();
            }
            // an answer that arrives while the router is down is recorded when it is back; earlier state survives
            answer(producer, crashId, Status.FAILED, "pull failed: disk full", null, null);
            try (RouterHarness again =
                    RouterHarness.start(2, RouterHarness.fastSettings(), List.of(), extra, ModelBehaviour.instant())) {
                assertEquals(
                        "succeeded",
                        again.adminJson("GET", "commands/" + pullId, null)
                                .path("status")
                                .asString());
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> again.adminJson("GET", "commands/" + crashId, null)
                                .path("status")
                                .asString()
                                .equals("failed"));
                assertEquals(
                        "pull failed: disk full",
                        again.adminJson("GET", "commands/" + crashId, null)
                                .path("error")
                                .asString());
            }
        }
    }

    private void reportTelemetry(RouterHarness router, KafkaProducer<String, byte[]> producer) {
        GpuTelemetry.ServerStatus server = new GpuTelemetry.ServerStatus(
                hostId + ":11434",
                hostServer,
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
                            hostId,
                            "test",
                            60,
                            Instant.now(),
                            new GpuTelemetry.GpuSourceStatus(GpuTelemetry.SourceState.OK, null),
                            List.of(),
                            new GpuTelemetry.HostStats(null, null, null, null, null, null),
                            List.of(server));
                    producer.send(new ProducerRecord<>(
                                    Topics.GPU_TELEMETRY,
                                    hostId,
                                    codec.encode(CloudEvent.of("/test/agent", hostId, t))))
                            .get();
                    return router.admin("GET", "hosts/" + hostId, null).statusCode() == 200;
                });
    }

    private void answer(
            KafkaProducer<String, byte[]> producer,
            String commandId,
            Status status,
            String message,
            Long completed,
            Long total) {
        FleetCommandResult result =
                new FleetCommandResult(commandId, hostId, status, message, completed, total, null, Instant.now());
        try {
            producer.send(new ProducerRecord<>(
                            Topics.FLEET_COMMAND_RESULTS,
                            hostId,
                            codec.encode(CloudEvent.of("/test/agent", commandId, result))))
                    .get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean hasSeries(String metrics, String name, String... labels) {
        return metrics.lines()
                .anyMatch(line -> line.startsWith(name + "{")
                        && java.util.Arrays.stream(labels).allMatch(line::contains));
    }

    private static HttpResponse<String> keyed(RouterHarness router, String path, String key) {
        return router.send(HttpRequest.newBuilder(router.uri("/api/orchestrator/" + path))
                .header("X-Sovereign-Token", router.adminToken)
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private static void assertError(HttpResponse<String> response, int status, String param) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response).path("error");
        assertFalse(error.path("message").asString().isBlank(), response.body());
        if (param != null) {
            assertEquals(param, error.path("param").asString(), response.body());
        }
        assertNotEquals(500, response.statusCode());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return RouterHarness.JSON.readTree(response.body());
    }

    private List<FleetCommand> commands(List<CloudEvent<?>> seen) {
        return seen.stream()
                .map(CloudEvent::data)
                .filter(FleetCommand.class::isInstance)
                .map(FleetCommand.class::cast)
                .filter(c -> c.hostId().equals(hostId))
                .toList();
    }

    /** This test's: other tests in the JVM send commands too. */
    private List<AuditEvent> audits(List<CloudEvent<?>> seen) {
        return seen.stream()
                .map(CloudEvent::data)
                .filter(AuditEvent.class::isInstance)
                .map(AuditEvent.class::cast)
                .filter(a -> a.action().startsWith("router.fleet-command.")
                        && a.details() != null
                        && hostId.equals(a.details().get("hostId")))
                .toList();
    }
}
