package ai.sovereign.backup.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.backup.support.Fixtures;
import ai.sovereign.testkit.SharedInfrastructure;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** One changed byte in one data file: verification fails naming that file, and restores refuse to start. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptArtifactTest {

    BackupService service;

    @BeforeAll
    void start() throws Exception {
        service = BackupService.start(
                SharedInfrastructure.postgres().newServiceDatabase("corrupt"),
                Files.createTempDirectory("backup-corrupt-"),
                Map.of("backup.encryption.key", BackupService.KEY));
        try (Connection c = service.connect()) {
            Fixtures.fillPostgres(c);
        }
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void oneChangedByteFailsVerifyNamingTheFileAndRestoreRefuses() throws Exception {
        JsonNode run = service.backup("{\"components\": [\"postgres\", \"config\"]}");
        String id = run.get("id").asString();
        String victim = null;
        for (JsonNode file : run.get("manifest").get("files")) {
            if (file.get("component").asString().equals("postgres")
                    && file.get("size").asLong() > 100) {
                victim = file.get("name").asString();
                break;
            }
        }
        Path path = service.root().resolve(id).resolve(victim);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }

        BackupService.Reply verify = service.call("POST", "/api/v1/backups/" + id + "/verify", null);
        assertEquals(200, verify.status(), verify.toString());
        assertFalse(verify.body().get("passed").asBoolean());
        assertEquals(1, verify.body().get("file_problems").size(), verify.toString());
        assertEquals(
                victim, verify.body().get("file_problems").get(0).get("file").asString());
        JsonNode stored = service.call("GET", "/api/v1/backups/" + id, null).body();
        assertEquals("failed", stored.get("verify_status").asString());
        assertEquals(
                victim,
                stored.get("verify_result")
                        .get("file_problems")
                        .get(0)
                        .get("file")
                        .asString());
        String metrics = service.metrics();
        assertTrue(
                metrics.matches("(?s).*\\nbackup_last_verify_success\\{component=\"postgres\"[^}]*} 0\\.0\\n.*"),
                metrics);

        for (String body : new String[] {
            "{\"target\": \"scratch\"}",
            "{\"target\": \"original\", \"confirm\": \"" + id + "\"}",
            "{\"target\": \"original\", \"dry_run\": true}"
        }) {
            BackupService.Reply restore = service.call("POST", "/api/v1/backups/" + id + "/restore", body);
            assertEquals(422, restore.status(), restore.toString());
            assertTrue(restore.body().get("error").get("message").asString().contains(victim), restore.toString());
        }
        try (Connection c = service.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM shop.orders")) {
            rs.next();
            assertEquals(2000, rs.getLong(1), "the refused restore left the live data alone");
        }
    }

    @Test
    void aTruncatedFileFailsVerifyNamingIt() throws Exception {
        JsonNode run = service.backup("{\"components\": [\"config\"]}");
        String id = run.get("id").asString();
        String victim = run.get("manifest").get("files").get(0).get("name").asString();
        Path path = service.root().resolve(id).resolve(victim);
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        JsonNode verify =
                service.call("POST", "/api/v1/backups/" + id + "/verify", null).body();
        assertFalse(verify.get("passed").asBoolean());
        assertEquals(victim, verify.get("file_problems").get(0).get("file").asString());
        assertTrue(verify.get("file_problems").get(0).get("problem").asString().contains("size"), verify.toString());
    }
}
