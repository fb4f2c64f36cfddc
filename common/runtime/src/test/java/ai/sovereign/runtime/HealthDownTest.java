package ai.sovereign.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.FreePorts;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthDownTest implements TestPropertyProvider {

    private final int deadKafkaPort = FreePorts.next();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + deadKafkaPort);
    }

    @Test
    void dependencyDownMakesHealth503WithTheComponentAndItsError() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.getURI() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode());
        assertTrue(response.body().startsWith("{\"name\":\"runtime-probe\",\"status\":\"DOWN\""), response.body());
        assertTrue(
                response.body()
                        .contains(
                                "\"kafka\":{\"name\":\"runtime-probe\",\"status\":\"DOWN\",\"details\":{\"bootstrapServers\":\"127.0.0.1:"
                                        + deadKafkaPort + "\",\"error\":"),
                response.body());
        assertTrue(
                response.body().contains("\"diskSpace\":{\"name\":\"runtime-probe\",\"status\":\"UP\""),
                response.body());
    }
}
