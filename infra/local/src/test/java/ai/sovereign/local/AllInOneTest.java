package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllInOneTest {

    @TempDir
    Path dataDir;

    @Test
    void everyServiceRunsInTheOneProcessAndReportsHealthyWithItsOwnName() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (AllInOne allInOne = AllInOne.start(new LocalSettings(dataDir, 0, 0, 0, true))) {
            Map<String, String> urls = allInOne.serviceUrls();
            assertEquals(7, urls.size(), urls.toString());
            for (var entry : urls.entrySet()) {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create(entry.getValue() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), entry.getKey() + ": " + health.body());
                String service = entry.getKey().replaceAll(" .*$", "");
                assertTrue(
                        health.body().startsWith("{\"name\":\"" + service + "\""),
                        entry.getKey() + ": " + health.body());
            }
            for (String inference : allInOne.inferenceUrls().values()) {
                HttpResponse<String> tags = http.send(
                        HttpRequest.newBuilder(URI.create(inference + "/api/tags"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(
                        tags.body().contains("llama3.1:8b") && tags.body().contains("nomic-embed-text"), tags.body());
            }
            // each service sees only its own routes: the gateway does not serve another service's endpoints
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(urls.get("gateway") + "/metrics"))
                            .header(
                                    "Authorization",
                                    "Bearer " + allInOne.platform().managementToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("service=\"gateway\""));
            // without the management token: no metrics, and the health status without its details
            HttpResponse<String> anonymous = http.send(
                    HttpRequest.newBuilder(URI.create(urls.get("gateway") + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(urls.get("gateway") + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"name\":\"gateway\",\"status\":\"UP\"}", health.body());
            assertTrue(!metrics.body().contains("service=\"router\""), "gateway's registry holds only gateway series");
        }
    }
}
