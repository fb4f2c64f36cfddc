package ai.sovereign.backup.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.testkit.SharedInfrastructure;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The vectors component against a stand-in for the ingestion service's export/import contract (docs/backup.md):
 * back up, wipe the store, restore into the original, same vectors; verification passes. The stand-in is labelled
 * as such: it is an in-memory NDJSON store, not the real ingestion service.
 */
class VectorsBackupTest {

    @Test
    void vectorsComeBackAfterAWipe() throws Exception {
        List<String> store = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 500; i++) {
            store.add("{\"collection\":\"all-minilm-l6-v2\",\"id\":\"chunk-" + i + "\",\"vector\":[" + (i * 0.001) + ",0.5,-0.25],"
                    + "\"fields\":{\"tenant\":\"t" + (i % 3) + "\",\"source_id\":\"src-" + (i / 10) + "\"}}");
        }
        HttpServer ingestion = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ingestion.createContext("/api/v1/admin/vectors/export", exchange -> {
            byte[] body = (String.join("\n", store) + (store.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ingestion.createContext("/api/v1/admin/vectors/import", exchange -> {
            List<String> lines = new ArrayList<>(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList());
            store.clear();
            store.addAll(lines);
            byte[] body = ("{\"imported\": " + lines.size() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ingestion.start();
        List<String> before = List.copyOf(store);
        try (BackupService service = BackupService.start(SharedInfrastructure.postgres().newDatabase("vectors"), Files.createTempDirectory("backup-vectors-"),
                Map.of("backup.vectors.ingestion-url", "http://127.0.0.1:" + ingestion.getAddress().getPort(), "backup.encryption.key", BackupService.KEY))) {
            JsonNode run = service.backup("{\"components\": [\"vectors\"]}");
            assertEquals("succeeded", run.get("status").asString(), run.toString());
            assertEquals(500, run.get("manifest").get("components").get("vectors").get("counts").get("vectors").asLong());
            String id = run.get("id").asString();
            assertTrue(service.call("POST", "/api/v1/backups/" + id + "/verify", null).body().get("passed").asBoolean());

            store.clear();
            BackupService.Reply restored = service.call("POST", "/api/v1/backups/" + id + "/restore",
                    "{\"target\": \"original\", \"components\": [\"vectors\"], \"confirm\": \"" + id + "\"}");
            assertEquals(200, restored.status(), restored.toString());
            assertTrue(restored.body().get("passed").asBoolean(), restored.toString());
            assertEquals(before, store);
        } finally {
            ingestion.stop(0);
        }
    }
}
