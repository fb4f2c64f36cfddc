package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An inference server that answers a status Micronaut's {@code HttpStatus} has no constant for (nginx's 499 in front
 * of vLLM): the client gets an answer, whole or streamed, instead of waiting for ever.
 */
class UnknownUpstreamStatusTest {

    @Test
    void aClientErrorStatusMicronautDoesNotKnowReachesTheClientAs400NamingIt() throws IOException {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext(
                "/v1/models",
                exchange -> reply(
                        exchange,
                        200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\"" + RouterHarness.MODEL
                                + "\",\"object\":\"model\"}]}"));
        upstream.createContext(
                "/v1/chat/completions",
                exchange -> reply(exchange, 499, "{\"error\":{\"message\":\"client closed request\"}}"));
        upstream.start();
        String document = "{\"servers\":[{\"id\":\"nginx-0\",\"url\":\"http://127.0.0.1:"
                + upstream.getAddress().getPort() + "\",\"type\":\"openai\",\"maxConcurrency\":2}],"
                + RouterHarness.fastSettings() + "}";
        try (RouterHarness router = RouterHarness.start(document, Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(router::fleetReady);
            for (boolean stream : new boolean[] {false, true}) {
                HttpResponse<String> answer =
                        router.post("/v1/chat/completions", RouterHarness.chat(RouterHarness.MODEL, stream));
                assertEquals(400, answer.statusCode(), answer.body());
                assertTrue(
                        answer.body().contains("the inference server answered HTTP 499: client closed request"),
                        answer.body());
                assertTrue(answer.body().contains("\"upstream_rejected\""), answer.body());
            }
            assertEquals(
                    0, router.adminJson("GET", "in-flight", null).path("total").asInt(), "every slot was given back");
        } finally {
            upstream.stop(0);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
