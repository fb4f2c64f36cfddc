package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real gpu-agent and the real router on one Kafka: the agent's host joins the fleet and takes traffic, a pull sent
 * through the router's admin API reaches the host's Ollama server and its progress comes back, and when the agent
 * stops its servers turn unhealthy and traffic moves to the rest of the fleet. Deadlines follow the agent's interval.
 */
class GpuAgentFleetTest {

    /** The agent's telemetry interval; the event carries whole seconds, so this is the shortest the router honours. */
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** How often the router looks for silent hosts (HostRegistry), plus one poll of the test. */
    private static final Duration WATCH_SLACK = Duration.ofMillis(500);

    private static final String PULLED = "qwen2.5:7b";

    @Test
    void agentHostJoinsTakesTrafficRunsAPullAndLosesTrafficWhenTheAgentStops() {
        String hostId = "gpu-host-" + UUID.randomUUID().toString().substring(0, 8);
        try (RouterHarness router = RouterHarness.start(
                        2,
                        RouterHarness.fastSettings(),
                        List.of("openai"),
                        Map.of("router.commands.results-group", "router-results-" + UUID.randomUUID()),
                        ModelBehaviour.instant());
                LlmSimulator host = LlmSimulator.start(SimulatorConfig.defaults()
                        .withPort(0)
                        .withDefaultBehaviour(ModelBehaviour.instant())
                        .withPullDuration(Duration.ofMillis(1500))
                        .withModels(RouterHarness.MODEL))) {
            LlmSimulator sim0 = router.simulators.getFirst();
            await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
            telemetryListenerReads(router);

            GpuAgentInstance agent = GpuAgentInstance.start(agentProperties(hostId, host));
            try {
                // (a) the host's server is in the fleet within two intervals, registered by the agent, and takes
                // traffic
                AtomicReference<JsonNode> registered = new AtomicReference<>();
                await().atMost(INTERVAL.multipliedBy(2))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            registered.set(agentServer(router, hostId));
                            return registered.get() != null
                                    && registered.get().path("healthy").asBoolean()
                                    && registered
                                            .get()
                                            .path("models")
                                            .toString()
                                            .contains(RouterHarness.MODEL);
                        });
                String serverId = registered.get().path("id").asString();
                assertEquals(
                        host.baseUrl(), registered.get().path("url").asString().replaceAll("/$", ""));
                assertEquals("ollama", registered.get().path("type").asString());

                router.adminJson("POST", "servers/sim-0/drain", null);
                long hostBefore = host.metrics().completedRequests(RouterHarness.MODEL);
                long sim0Before = sim0.metrics().completedRequests(RouterHarness.MODEL);
                assertEquals(
                        200,
                        router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false))
                                .statusCode());
                assertEquals(
                        hostBefore + 1,
                        host.metrics().completedRequests(RouterHarness.MODEL),
                        "routed to the agent's host");
                assertEquals(sim0Before, sim0.metrics().completedRequests(RouterHarness.MODEL));
                router.adminJson("POST", "servers/sim-0/undrain", null);

                // (c) a pull through the router's admin API reaches the host's /api/pull; progress and result come back
                JsonNode accepted = router.adminJson("POST", "hosts/" + hostId + "/models/" + PULLED + "/pull", null);
                String commandId = accepted.path("id").asString();
                assertEquals("pull", accepted.path("action").asString());
                assertEquals(PULLED, accepted.path("model").asString());
                List<JsonNode> seen = new CopyOnWriteArrayList<>();
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            JsonNode state = router.adminJson("GET", "commands/" + commandId, null);
                            seen.add(state);
                            return !List.of("pending", "running")
                                    .contains(state.path("status").asString());
                        });
                JsonNode done = seen.getLast();
                assertEquals("succeeded", done.path("status").asString(), done.toString());
                assertTrue(done.path("message").asString().contains("pulled " + PULLED), done.toString());
                assertTrue(done.path("finishedAt").isString(), done.toString());
                assertTrue(
                        seen.stream()
                                .anyMatch(s -> s.path("status").asString().equals("running")
                                        && s.path("progress")
                                                        .path("completedBytes")
                                                        .asLong()
                                                > 0
                                        && s.path("progress").path("totalBytes").asLong() > 0
                                        && s.path("message").asString().startsWith("pulling")),
                        "pull progress came back: " + seen);
                assertTrue(done.path("progress").path("totalBytes").asLong() > 0, done.toString());
                assertEquals(1, host.metrics().pulls());
                // the next telemetry tells the router the host now has the model
                await().atMost(INTERVAL.multipliedBy(2))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> FailoverTest.server(router, serverId)
                                .path("models")
                                .toString()
                                .contains(PULLED));

                // a preload through the API loads the model; the router learns it from the next telemetry
                String preload = router.adminJson(
                                "POST", "hosts/" + hostId + "/models/" + PULLED + "/preload", "{\"keepAlive\":\"10m\"}")
                        .path("id")
                        .asString();
                assertEquals(
                        "succeeded", finalState(router, preload).path("status").asString());
                await().atMost(INTERVAL.multipliedBy(2))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> FailoverTest.server(router, serverId)
                                .path("loadedModels")
                                .toString()
                                .contains(PULLED));
                // a model outside the agent's allow-list is refused by the agent, and the router says why
                String refused = router.adminJson("POST", "hosts/" + hostId + "/models/evil%2Fmodel/pull", null)
                        .path("id")
                        .asString();
                JsonNode denied = finalState(router, refused);
                assertEquals("refused", denied.path("status").asString(), denied.toString());
                assertTrue(denied.path("error").asString().contains("not allowed"), denied.toString());
                assertEquals(1, host.metrics().pulls(), "nothing reached the server");

                // (b) the agent stops: its servers turn unhealthy within three intervals, traffic moves to sim-0
                agent.close();
                agent = null;
                await().atMost(INTERVAL.multipliedBy(3).plus(WATCH_SLACK))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !FailoverTest.server(router, serverId)
                                .path("healthy")
                                .asBoolean());
                JsonNode silent = FailoverTest.server(router, serverId);
                assertTrue(
                        silent.path("lastError").asString().contains("no telemetry from host " + hostId),
                        silent.toString());
                assertTrue(router.adminJson("GET", "hosts/" + hostId, null)
                        .path("silent")
                        .asBoolean());
                long hostAfter = host.metrics().completedRequests(RouterHarness.MODEL);
                long sim0After = sim0.metrics().completedRequests(RouterHarness.MODEL);
                for (int i = 0; i < 3; i++) {
                    assertEquals(
                            200,
                            router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, false))
                                    .statusCode());
                }
                assertEquals(
                        hostAfter,
                        host.metrics().completedRequests(RouterHarness.MODEL),
                        "the silent host gets nothing");
                assertEquals(sim0After + 3, sim0.metrics().completedRequests(RouterHarness.MODEL));
                assertTrue(
                        router.admin("GET", "servers", null).body().contains(serverId), "not deleted, only unhealthy");
            } finally {
                if (agent != null) {
                    agent.close();
                }
            }
        }
    }

    private static Map<String, Object> agentProperties(String hostId, LlmSimulator host) {
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.kafkaProperties("gpu-agent"));
        props.put("micronaut.server.port", -1);
        props.put("gpu-agent.host-id", hostId);
        props.put("gpu-agent.interval", INTERVAL.toMillis() + "ms");
        props.put("gpu-agent.gpu-source", "simulated");
        props.put("gpu-agent.servers.ollama.url", host.baseUrl());
        props.put("gpu-agent.servers.ollama.type", "ollama");
        props.put("gpu-agent.servers.ollama.max-concurrency", 4);
        props.put("gpu-agent.commands.progress-interval", "100ms");
        props.put("gpu-agent.commands.model-allow-pattern", "(llama|qwen|nomic)[a-z0-9.\\-]*(:[a-z0-9.\\-]+)?");
        return props;
    }

    /** The command once it has finished. */
    private static JsonNode finalState(RouterHarness router, String commandId) {
        AtomicReference<JsonNode> state = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    state.set(router.adminJson("GET", "commands/" + commandId, null));
                    return !List.of("pending", "running")
                            .contains(state.get().path("status").asString());
                });
        return state.get();
    }

    /** The server the agent of {@code hostId} registered, or null. */
    private static JsonNode agentServer(RouterHarness router, String hostId) {
        for (JsonNode s : router.adminJson("GET", "servers", null).path("servers")) {
            if (("gpu-agent:" + hostId).equals(s.path("registeredBy").asString(""))) {
                return s;
            }
        }
        return null;
    }

    /**
     * Waits until the router's telemetry consumer has its partitions (it reads from the newest offset, so a report
     * sent before that is never seen): the first deadline then measures the agent and the router, not Kafka's group
     * join.
     */
    private static void telemetryListenerReads(RouterHarness router) {
        String probe = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        EventCodec codec = new EventCodec();
        try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        GpuTelemetry t = new GpuTelemetry(
                                probe,
                                "test",
                                60,
                                Instant.now(),
                                new GpuTelemetry.GpuSourceStatus(GpuTelemetry.SourceState.OK, null),
                                List.of(),
                                new GpuTelemetry.HostStats(null, null, null, null, null, null),
                                List.of());
                        producer.send(new ProducerRecord<>(
                                        Topics.GPU_TELEMETRY,
                                        probe,
                                        codec.encode(CloudEvent.of("/test/probe", probe, t))))
                                .get();
                        return router.admin("GET", "hosts/" + probe, null).statusCode() == 200;
                    });
        }
    }
}
