package ai.sovereign.gateway.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client that goes away mid-stream cancels the upstream request (the connection to the router is closed). */
class ClientDisconnectTest {

    private static final String MODEL = "llama-endless:1b";

    @Test
    void disconnectMidStreamEndsTheUpstreamRequestLongBeforeItWouldFinish() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            // 400 tokens 50 ms apart: 20 s if nobody cancels it.
            gateway.simulator.addModel(
                    MODEL, ModelBehaviour.instant().withOutputTokens(400).withInterTokenLatency(Duration.ofMillis(50)));
            GatewayFixture.Key key = gateway.createKey("{\"name\":\"leaver\",\"tenant\":\"acme\"}");
            HttpResponse<InputStream> response = gateway.open(
                    "/v1/chat/completions",
                    key.secret(),
                    "{\"model\":\"" + MODEL
                            + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
            assertEquals(200, response.statusCode());
            InputStream body = response.body();
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            do {
                line = reader.readLine();
            } while (line != null && !line.startsWith("data: {"));
            assertTrue(line != null, "a first token arrived");
            assertEquals(1, gateway.simulator.metrics().runningRequests(MODEL));

            body.close(); // the client goes away

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.simulator.metrics().runningRequests(MODEL) == 0);
        }
    }
}
