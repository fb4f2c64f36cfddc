package ai.sovereign.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read-idle timeout that protects against slow clients cuts neither a long stream nor a long silent wait for the router. */
class LongStreamTest {

    @Test
    void answersLongerThanTheReadIdleTimeoutComplete() {
        try (GatewayFixture gateway = GatewayFixture.start(Map.of("micronaut.server.read-idle-timeout", "1s"))) {
            gateway.simulator.addModel(
                    "llama-long:1b",
                    ModelBehaviour.instant().withOutputTokens(25).withInterTokenLatency(Duration.ofMillis(100)));
            GatewayFixture.Key key = gateway.createKey("{\"name\":\"long\",\"tenant\":\"acme\"}");
            // the key's first request is looked up before its body is read, so it and the ones below take the fast path
            assertEquals(
                    200,
                    gateway.send(
                                    "POST",
                                    "/v1/chat/completions",
                                    key.secret(),
                                    "{\"model\":\"llama-long:1b\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                            .status());
            MeterRegistry meters = gateway.bean(MeterRegistry.class);
            Reply reply = gateway.send(
                    "POST",
                    "/v1/chat/completions",
                    key.secret(),
                    "{\"model\":\"llama-long:1b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
            assertEquals(200, reply.status());
            assertTrue(reply.body().strip().endsWith("data: [DONE]"), reply.body());

            gateway.simulator.addModel(
                    "llama-late:1b", ModelBehaviour.instant().withSlowStart(Duration.ofMillis(2500)));
            Reply late = gateway.send(
                    "POST",
                    "/v1/chat/completions",
                    key.secret(),
                    "{\"model\":\"llama-late:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
            assertEquals(200, late.status(), "a silent wait for the upstream is not a slow client");
            assertEquals(
                    3.0,
                    meters.get("gateway.fast.path")
                            .tag("outcome", "served")
                            .counter()
                            .count(),
                    "the first request and both long answers were served by the fast path, behind the slow-client"
                            + " guard");
        }
    }
}
