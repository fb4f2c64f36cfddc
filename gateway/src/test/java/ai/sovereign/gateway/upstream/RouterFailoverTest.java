package ai.sovereign.gateway.upstream;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.Endpoint;
import ai.sovereign.testkit.FreePorts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.upstreams.router} naming several router replicas: calls are spread over them, and a replica that
 * cannot be reached costs the client nothing: its calls go to the next one, streamed or not, fast path or not.
 */
class RouterFailoverTest {

    private static final String CHAT =
            "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";
    private static final String STREAM = "{\"model\":\"" + CHAT_MODEL
            + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";

    @Test
    void callsToAReplicaThatCannotBeReachedGoToTheNext() {
        String dead = "http://127.0.0.1:" + FreePorts.next();
        try (LlmSimulator second = simulator();
                GatewayFixture gateway =
                        GatewayFixture.start(Map.of("gateway.upstreams.router", dead + "," + second.baseUrl()))) {
            Key key = gateway.createKey("{\"name\":\"failover\",\"tenant\":\"acme\"}");
            for (int i = 0; i < 10; i++) {
                Reply chat = gateway.send("POST", "/v1/chat/completions", key.secret(), CHAT);
                assertEquals(200, chat.status(), chat.body());
                Reply chunked = gateway.sendChunked("POST", "/v1/chat/completions", key.secret(), CHAT);
                assertEquals(200, chunked.status(), "the ordinary path too: " + chunked.body());
                Reply stream = gateway.send("POST", "/v1/chat/completions", key.secret(), STREAM);
                assertEquals(200, stream.status(), stream.body());
                assertTrue(stream.body().contains("data: [DONE]"), stream.body());
            }
            Reply models = gateway.send("GET", "/v1/models", key.secret(), null);
            assertEquals(200, models.status(), "the model list (blocking client) too: " + models.body());
            assertEquals(30, second.metrics().requests(Endpoint.OPENAI_CHAT), "every call reached the live replica");
        }
    }

    @Test
    void callsAreSpreadOverTheReplicas() {
        try (LlmSimulator first = simulator();
                LlmSimulator second = simulator();
                GatewayFixture gateway = GatewayFixture.start(
                        Map.of("gateway.upstreams.router", first.baseUrl() + ", " + second.baseUrl()))) {
            Key key = gateway.createKey("{\"name\":\"spread\",\"tenant\":\"acme\"}");
            for (int i = 0; i < 20; i++) {
                assertEquals(
                        200,
                        gateway.send("POST", "/v1/chat/completions", key.secret(), CHAT)
                                .status());
            }
            long onFirst = first.metrics().requests(Endpoint.OPENAI_CHAT);
            long onSecond = second.metrics().requests(Endpoint.OPENAI_CHAT);
            assertEquals(20, onFirst + onSecond);
            assertTrue(onFirst >= 5 && onSecond >= 5, "taken in turn: " + onFirst + " and " + onSecond);
        }
    }

    private static LlmSimulator simulator() {
        return LlmSimulator.start(SimulatorConfig.defaults()
                .withPort(0)
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(12))
                .withModels(CHAT_MODEL, GatewayFixture.EMBED_MODEL));
    }
}
