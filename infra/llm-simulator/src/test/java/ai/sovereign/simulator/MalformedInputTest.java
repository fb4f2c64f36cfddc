package ai.sovereign.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever a client sends, it gets a 2xx or 4xx: a 500 is reserved for the simulated errorRate. */
class MalformedInputTest {

    private static final List<String> ENDPOINTS = List.of(
            "/api/chat",
            "/api/generate",
            "/api/embed",
            "/api/embeddings",
            "/api/show",
            "/api/pull",
            "/v1/chat/completions",
            "/v1/completions",
            "/v1/embeddings");

    private static final List<String> BODIES = List.of(
            "",
            "{",
            "null",
            "[]",
            "42",
            "\"text\"",
            "{\"model\":42}",
            "{\"model\":null}",
            "{\"model\":\"m:1b\",\"messages\":\"hi\",\"prompt\":[1,\"x\",{}],\"input\":{}}",
            "{\"model\":\"m:1b\",\"messages\":[null,1,{\"role\":7,\"content\":{\"a\":1}}],\"prompt\":\"hi\",\"input\":[[1,\"a\"]]}",
            "{\"model\":\"m:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"call x\"}],\"tools\":[{\"function\":{\"name\":\"x\",\"parameters\":{\"properties\":[1]}}}],\"prompt\":\"p\",\"input\":\"i\"}",
            "{\"model\":\"m:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"prompt\":\"p\",\"input\":\"i\",\"max_tokens\":1e30,\"seed\":1.5e300,\"options\":{\"num_predict\":\"x\"}}",
            "{\"model\":\"m:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"prompt\":\"p\",\"input\":\"i\",\"tool_choice\":7,\"tools\":\"none\",\"stream_options\":5,\"stop\":{\"a\":1}}",
            "{\"model\":\"m:1b\",\"prompt\":\"p\",\"input\":\"i\",\"keep_alive\":true,\"dimensions\":\"big\",\"encoding_format\":7,\"stream\":\"yes\"}");

    private static LlmSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults()
                .withDefaultBehaviour(ModelBehaviour.instant().withOutputTokens(3))
                .withPullDuration(Duration.ZERO)
                .withModels("m:1b"));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    static Stream<Arguments> endpoints() {
        return ENDPOINTS.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void oddBodiesNeverCauseA500(String endpoint) throws Exception {
        List<String> failures = new ArrayList<>();
        for (String body : BODIES) {
            HttpResponse<String> response = http.post(endpoint, body);
            if (response.statusCode() >= 500) {
                failures.add(response.statusCode() + " for " + body + ": " + response.body());
            }
            if (response.statusCode() >= 400) {
                assertTrue(response.body().contains("\"error\""), "error body for " + body + ": " + response.body());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() throws Exception {
        assertEquals(404, http.get("/api/nothing").statusCode());
        HttpResponse<String> wrongMethod = http.get("/api/chat");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());
    }
}
