package ai.sovereign.gpuagent.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.FleetCommand;
import ai.sovereign.events.FleetCommand.Action;
import ai.sovereign.events.FleetCommandResult;
import ai.sovereign.events.FleetCommandResult.Status;
import ai.sovereign.events.Topics;
import ai.sovereign.gpuagent.TopicReader;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Commands sent on real Kafka reach the host's Ollama-compatible llm-simulator; progress, results and audit events
 * come back on Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String hostId = "gpu-cmd-" + UUID.randomUUID().toString().substring(0, 8);
    private final EventCodec codec = new EventCodec();
    private final HttpClient http = HttpClient.newHttpClient();
    private LlmSimulator ollama;
    private LlmSimulator vllm;
    private EmbeddedServer agent;
    private KafkaProducer<String, byte[]> producer;
    private TopicReader<FleetCommandResult> results;
    private TopicReader<AuditEvent> audit;

    @BeforeAll
    void start() {
        ollama = LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant())
                .withPullDuration(Duration.ofMillis(800))
                .withModels("llama3.1:8b", "nomic-embed-text"));
        vllm = LlmSimulator.start(SimulatorConfig.defaults().withPort(0).withModels("qwen2.5:7b"));
        Map<String, Object> props = new HashMap<>(SharedInfrastructure.kafkaProperties("gpu-agent"));
        props.put("micronaut.server.port", -1);
        props.put("gpu-agent.host-id", hostId);
        props.put("gpu-agent.gpu-source", "simulated");
        props.put("gpu-agent.servers.ollama.url", ollama.baseUrl());
        props.put("gpu-agent.servers.vllm.url", vllm.baseUrl());
        props.put("gpu-agent.servers.vllm.type", "vllm");
        props.put("gpu-agent.commands.model-allow-pattern", "(llama|qwen|nomic)[a-z0-9.\\-]*(:[a-z0-9.\\-]+)?");
        props.put("gpu-agent.commands.progress-interval", "100ms");
        results = new TopicReader<>(Topics.FLEET_COMMAND_RESULTS, FleetCommandResult.class, hostId);
        audit = new TopicReader<>(Topics.AUDIT_EVENTS, AuditEvent.class, AuditEvent.PLATFORM_TENANT);
        producer = new KafkaProducer<>(
                SharedInfrastructure.kafkaOperatorSettings(), new StringSerializer(), new ByteArraySerializer());
        agent = ApplicationContext.run(EmbeddedServer.class, props, "test");
    }

    @AfterAll
    void stop() {
        agent.close();
        producer.close();
        results.close();
        audit.close();
        ollama.close();
        vllm.close();
    }

    @Test
    void aPullReachesTheServerAndItsProgressAndResultComeBack() throws Exception {
        String id = send(Action.PULL, "qwen2.5:0.5b", null, null);

        FleetCommandResult done = awaitTerminal(id);

        assertEquals(Status.SUCCEEDED, done.status(), done.message());
        assertEquals(hostId, done.hostId());
        assertTrue(ollama.models().contains("qwen2.5:0.5b"), "the simulator has the model: " + ollama.models());
        assertEquals(1, ollama.metrics().pulls());
        List<FleetCommandResult> mine = resultsOf(id);
        assertEquals(Status.ACCEPTED, mine.getFirst().status());
        FleetCommandResult progress = mine.stream()
                .filter(r -> r.status() == Status.IN_PROGRESS && r.totalBytes() != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no byte progress: " + mine));
        assertTrue(progress.message().startsWith("pulling "), progress.message());
        assertNotNull(progress.progressRatio());
        assertTrue(mine.stream().anyMatch(r -> r.status() == Status.IN_PROGRESS && "success".equals(r.message())));
        assertEquals(1, mine.stream().filter(r -> r.status().isTerminal()).count());

        AuditEvent requested = awaitAudit(id, "model.pull.requested");
        assertEquals(AuditEvent.Outcome.SUCCESS, requested.outcome());
        assertEquals("operator-7", requested.actor());
        assertEquals("qwen2.5:0.5b", requested.resourceId());
        AuditEvent finished = awaitAudit(id, "model.pull");
        assertEquals(AuditEvent.Outcome.SUCCESS, finished.outcome());
        assertEquals("gpu-agent/" + hostId, finished.actor());

        HttpResponse<String> status = http.send(
                HttpRequest.newBuilder(URI.create(agent.getURI() + "/api/agent/commands/" + id))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(status.body().contains("\"status\":\"SUCCEEDED\""), status.body());
    }

    @Test
    void aRedeliveredCommandIdIsNotRunAgain() {
        String id = send(Action.PRELOAD, "nomic-embed-text", null, "5m");
        awaitTerminal(id);
        long generateCalls = ollama.metrics().requests(ai.sovereign.simulator.metrics.Endpoint.OLLAMA_GENERATE);

        resend(id, Action.PRELOAD, "nomic-embed-text");
        String marker = send(Action.UNLOAD, "nomic-embed-text", null, null);
        awaitTerminal(marker);

        assertEquals(
                1, resultsOf(id).stream().filter(r -> r.status().isTerminal()).count(), "one terminal result");
        assertEquals(
                generateCalls + 1,
                ollama.metrics().requests(ai.sovereign.simulator.metrics.Endpoint.OLLAMA_GENERATE),
                "only the marker's unload reached the server");
    }

    @Test
    void preloadKeepsTheModelLoadedAndUnloadFreesIt() throws Exception {
        FleetCommandResult loaded = awaitTerminal(send(Action.PRELOAD, "llama3.1:8b", ollama.baseUrl() + "/", "10m"));
        assertEquals(Status.SUCCEEDED, loaded.status(), loaded.message());
        assertTrue(ps().contains("\"llama3.1:8b\""), ps());

        FleetCommandResult unloaded = awaitTerminal(send(Action.UNLOAD, "llama3.1:8b", null, null));
        assertEquals(Status.SUCCEEDED, unloaded.status(), unloaded.message());
        assertFalse(ps().contains("\"llama3.1:8b\""), ps());
    }

    @Test
    void deleteRemovesTheModelAndDeletingAnAbsentModelFails() {
        ollama.addModel("llama3.2:1b");
        FleetCommandResult deleted = awaitTerminal(send(Action.DELETE, "llama3.2:1b", null, null));
        assertEquals(Status.SUCCEEDED, deleted.status(), deleted.message());
        assertFalse(ollama.models().contains("llama3.2:1b"));

        FleetCommandResult absent = awaitTerminal(send(Action.DELETE, "llama3.2:1b", null, null));
        assertEquals(Status.FAILED, absent.status());
        assertTrue(absent.message().contains("/api/delete answered 404"), absent.message());
    }

    @Test
    void refusalsSayWhy() {
        long pullsBefore = ollama.metrics().pulls();
        String disallowed = send(Action.PULL, "evil/model:latest", null, null);
        FleetCommandResult refused = awaitTerminal(disallowed);
        assertEquals(Status.REFUSED, refused.status());
        assertTrue(
                refused.message().contains("does not match gpu-agent.commands.model-allow-pattern"), refused.message());
        assertEquals(
                AuditEvent.Outcome.DENIED, awaitAudit(disallowed, "model.pull").outcome());

        FleetCommandResult notOllama = awaitTerminal(send(Action.PULL, "qwen2.5:7b", vllm.baseUrl(), null));
        assertEquals(Status.REFUSED, notOllama.status());
        assertTrue(notOllama.message().contains("speaks vllm"), notOllama.message());

        FleetCommandResult noServer = awaitTerminal(send(Action.PULL, "qwen2.5:7b", "http://10.9.9.9:11434", null));
        assertEquals(Status.REFUSED, noServer.status());
        assertTrue(
                noServer.message().contains("no inference server with URL http://10.9.9.9:11434"), noServer.message());

        String expiredId = UUID.randomUUID().toString();
        publish(new FleetCommand(
                expiredId,
                hostId,
                Action.PULL,
                "qwen2.5:7b",
                null,
                null,
                "operator-7",
                Instant.now().minus(Duration.ofHours(2))));
        FleetCommandResult expired = awaitTerminal(expiredId);
        assertEquals(Status.REFUSED, expired.status());
        assertTrue(expired.message().startsWith("command expired"), expired.message());

        String unknownId = UUID.randomUUID().toString();
        String raw = codec.encodeToString(CloudEvent.of(
                        "/router",
                        unknownId,
                        new FleetCommand(
                                unknownId, hostId, Action.PULL, "qwen2.5:7b", null, null, "operator-7", Instant.now())))
                .replace("\"PULL\"", "\"REBOOT\"");
        producer.send(new ProducerRecord<>(Topics.FLEET_COMMANDS, hostId, raw.getBytes(StandardCharsets.UTF_8)));
        FleetCommandResult unknown = awaitTerminal(unknownId);
        assertEquals(Status.REFUSED, unknown.status());
        assertTrue(unknown.message().contains("unknown command \"REBOOT\""), unknown.message());
        assertEquals(pullsBefore, ollama.metrics().pulls(), "no refused command reached the server");
    }

    @Test
    void anUnknownCommandIdIsA404WithAnOpenAiStyleError() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(agent.getURI() + "/api/agent/commands/no-such-command"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(404, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"error\":{"), response.body());
        assertTrue(response.body().contains("command no-such-command is unknown to this agent"), response.body());
    }

    @Test
    void eachHostReadsCommandsInItsOwnConsumerGroup() {
        assertEquals(
                "gpu-agent-" + hostId,
                agent.getApplicationContext()
                        .getBean(FleetCommandConsumer.class)
                        .state()
                        .get("group"));
    }

    @Test
    void commandsForAnotherHostAreLeftAlone() {
        String otherId = UUID.randomUUID().toString();
        publish(new FleetCommand(
                otherId, "some-other-host", Action.UNLOAD, "llama3.1:8b", null, null, "operator-7", Instant.now()));
        String marker = send(Action.UNLOAD, "nomic-embed-text", null, null);
        awaitTerminal(marker);

        results.pollFor(Duration.ofSeconds(1));
        assertEquals(List.of(), resultsOf(otherId));
    }

    private String ps() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(ollama.baseUrl() + "/api/ps"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String send(Action action, String model, String serverUrl, String keepAlive) {
        String id = UUID.randomUUID().toString();
        publish(new FleetCommand(id, hostId, action, model, serverUrl, keepAlive, "operator-7", Instant.now()));
        return id;
    }

    private void resend(String id, Action action, String model) {
        publish(new FleetCommand(id, hostId, action, model, null, "5m", "operator-7", Instant.now()));
    }

    private void publish(FleetCommand command) {
        CloudEvent<FleetCommand> event = CloudEvent.of("/router", command.commandId(), command);
        producer.send(new ProducerRecord<>(Topics.FLEET_COMMANDS, command.hostId(), codec.encode(event)));
        producer.flush();
    }

    private synchronized FleetCommandResult awaitTerminal(String commandId) {
        return results.awaitRecord(
                        WAIT, r -> r.commandId().equals(commandId) && r.status().isTerminal())
                .value()
                .data();
    }

    private synchronized List<FleetCommandResult> resultsOf(String commandId) {
        return results.seen().stream()
                .filter(r -> r.commandId().equals(commandId))
                .toList();
    }

    private synchronized AuditEvent awaitAudit(String commandId, String action) {
        return audit.awaitRecord(WAIT, a -> commandId.equals(a.details().get("commandId")) && action.equals(a.action()))
                .value()
                .data();
    }
}
