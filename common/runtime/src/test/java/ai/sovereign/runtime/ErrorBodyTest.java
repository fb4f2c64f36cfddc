package ai.sovereign.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorBodyTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        return SharedInfrastructure.kafkaProperties("gateway");
    }

    @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "POST|/probe/echo|{\"name\":\"x\",|400|invalid_request_error",
                "POST|/probe/echo|{\"name\":\"x\",\"times\":\"many\"}|400|invalid_request_error",
                "POST|/probe/echo|{\"name\":\"x\",\"times\":0}|400|invalid_request_error",
                "POST|/probe/echo|''|400|invalid_request_error",
                "GET|/probe/echo|''|405|invalid_request_error",
                "POST|/no/such/route|{}|404|not_found_error",
            })
    void clientMistakesGetTheirStatusAndAnOpenAiErrorBody(
            String method, String path, String body, int status, String type) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server.getURI() + path)).header("Content-Type", "application/json");
        request.method(
                method,
                body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"error\":{\"message\":\""), response.body());
        assertTrue(response.body().contains("\"type\":\"" + type + "\""), response.body());
    }

    @org.junit.jupiter.api.Test
    void domainErrorNamesTheParameter() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.getURI() + "/probe/echo"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"times\":-5}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"message\":\"times must be >= 1 (got -5)\""), response.body());
        assertTrue(response.body().contains("\"param\":\"times\""), response.body());
    }
}
