package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded Java API: start, restart on the same port, configuration and run-time changes. */
class LlmSimulatorTest {

    @Test
    void portZeroPicksAFreePortAndBaseUrlPointsAtIt() throws Exception {
        try (LlmSimulator simulator = LlmSimulator.start(SimulatorConfig.defaults())) {
            assertTrue(simulator.port() > 0);
            assertEquals("http://127.0.0.1:" + simulator.port(), simulator.baseUrl());
            assertEquals(200, new SimulatorHttp(simulator).get("/api/tags").statusCode());
            assertEquals(SimulatorConfig.DEFAULT_MODELS, simulator.models());
        }
    }

    @Test
    void aClosedSimulatorCanBeRestartedOnTheSamePort() throws Exception {
        int port;
        LlmSimulator first =
                LlmSimulator.start(SimulatorConfig.defaults().withDefaultBehaviour(ModelBehaviour.instant()));
        port = first.port();
        SimulatorHttp http = new SimulatorHttp(first);
        http.post(
                "/api/chat",
                "{\"model\":\"llama3.1:8b\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        first.close();
        assertThrows(IOException.class, () -> http.get("/api/tags"), "a killed server refuses connections");

        try (LlmSimulator second = LlmSimulator.start(SimulatorConfig.defaults().withPort(port))) {
            assertEquals(port, second.port());
            assertEquals(200, new SimulatorHttp(second).get("/api/tags").statusCode());
        }
    }

    @Test
    void closingDropsStreamsInFlight() throws Exception {
        LlmSimulator simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withDefaultBehaviour(
                        ModelBehaviour.instant().withOutputTokens(1000).withInterTokenLatency(Duration.ofMillis(20))));
        var response = new SimulatorHttp(simulator)
                .postStream(
                        "/api/chat",
                        "{\"model\":\"llama3.1:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        simulator.close();
        assertThrows(IOException.class, () -> response.body().readAllBytes());
    }

    @Test
    void startingOnABusyPortFailsNamingTheAddress() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> LlmSimulator.start(SimulatorConfig.defaults().withPort(busy.getLocalPort())));
            assertTrue(e.getMessage().contains(String.valueOf(busy.getLocalPort())), e.getMessage());
        }
    }

    @Test
    void perModelBehaviourOverridesTheDefault() {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withModels("a", "b")
                .withModel("b", ModelBehaviour.instant().withOutputTokens(3));
        try (LlmSimulator simulator = LlmSimulator.start(config)) {
            assertEquals(ModelBehaviour.defaults(), simulator.behaviour("a"));
            assertEquals(3, simulator.behaviour("b").outputTokens());
            simulator.updateAllBehaviours(b -> b.withErrorRate(0.25));
            assertEquals(0.25, simulator.behaviour("a").errorRate());
            assertEquals(3, simulator.behaviour("b").outputTokens());
            simulator.addModel("c");
            assertEquals(0.25, simulator.behaviour("c").errorRate(), "models added later get the changed default");
            assertTrue(simulator.removeModel("c"));
            assertThrows(IllegalArgumentException.class, () -> simulator.behaviour("c"));
        }
    }

    @Test
    void invalidConfigurationFailsNamingTheField() {
        IllegalArgumentException port = assertThrows(
                IllegalArgumentException.class, () -> SimulatorConfig.defaults().withPort(70_000));
        assertTrue(port.getMessage().contains("port"));
        IllegalArgumentException orphan = assertThrows(
                IllegalArgumentException.class,
                () -> new SimulatorConfig(
                        "127.0.0.1",
                        0,
                        1,
                        ModelBehaviour.defaults(),
                        List.of("a"),
                        Map.of("b", ModelBehaviour.defaults()),
                        Duration.ZERO,
                        1));
        assertTrue(orphan.getMessage().contains("'b'"));
        IllegalArgumentException rate = assertThrows(
                IllegalArgumentException.class, () -> ModelBehaviour.defaults().withErrorRate(2));
        assertTrue(rate.getMessage().contains("errorRate"));
    }
}
