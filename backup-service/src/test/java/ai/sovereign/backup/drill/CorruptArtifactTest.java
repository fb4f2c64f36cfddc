package ai.sovereign.backup.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.BackupSettings;
import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.FileEntry;
import ai.sovereign.backup.artifact.Manifest;
import ai.sovereign.backup.artifact.ManifestFile;
import ai.sovereign.backup.support.BackupService;
import ai.sovereign.backup.support.Fixtures;
import ai.sovereign.backup.target.filesystem.FilesystemTarget;
import ai.sovereign.runtime.json.JsonMapperFactory;
import ai.sovereign.testkit.SharedInfrastructure;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A tampered backup store: one changed byte in one data file, a changed or unsigned manifest, a file or a whole
 * manifest copied from another backup: verification fails naming the file, and restores refuse to start. A perfectly
 * signed artifact with statements a backup never writes is not run.
 */
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

    @Test
    void aChangedManifestIsRefusedBeforeAnythingElseIsRead() throws Exception {
        JsonNode run = service.backup("{\"components\": [\"config\"]}");
        String id = run.get("id").asString();
        Path manifest = service.root().resolve(id).resolve(Manifest.FILE_NAME);
        // the attacker's edit: a file's recorded size, to cover a changed file; re-signing needs the key
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replaceFirst("\"size\" : (\\d+)", "\"size\" : 1$1"));

        JsonNode verify =
                service.call("POST", "/api/v1/backups/" + id + "/verify", null).body();
        assertFalse(verify.get("passed").asBoolean(), verify.toString());
        assertEquals(
                Manifest.FILE_NAME,
                verify.get("file_problems").get(0).get("file").asString());
        assertTrue(
                verify.get("file_problems").get(0).get("problem").asString().contains("signature does not match"),
                verify.toString());
        BackupService.Reply restore =
                service.call("POST", "/api/v1/backups/" + id + "/restore", "{\"target\": \"scratch\"}");
        assertEquals(422, restore.status(), restore.toString());
        assertTrue(
                restore.body().get("error").get("message").asString().contains(Manifest.FILE_NAME), restore.toString());

        Files.writeString(manifest, text);
        Files.delete(service.root().resolve(id).resolve(ManifestFile.SIGNATURE_FILE));
        BackupService.Reply unsigned =
                service.call("POST", "/api/v1/backups/" + id + "/restore", "{\"target\": \"scratch\"}");
        assertEquals(422, unsigned.status(), unsigned.toString());
        assertTrue(
                unsigned.body()
                        .get("error")
                        .get("message")
                        .asString()
                        .contains(ManifestFile.SIGNATURE_FILE + ": is missing"),
                unsigned.toString());

        // what a backup of format 1 (before manifests were signed) looks like: refused, saying why
        Files.writeString(manifest, text.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1"));
        BackupService.Reply old =
                service.call("POST", "/api/v1/backups/" + id + "/restore", "{\"target\": \"scratch\"}");
        assertEquals(422, old.status(), old.toString());
        assertTrue(old.body().get("error").get("message").asString().contains("is format 1"), old.toString());
    }

    @Test
    void aFileOrAWholeManifestFromAnotherBackupIsRefusedNamingIt() throws Exception {
        String first =
                service.backup("{\"components\": [\"config\"]}").get("id").asString();
        JsonNode second = service.backup("{\"components\": [\"config\"]}");
        String id = second.get("id").asString();
        String file = second.get("manifest").get("files").get(0).get("name").asString();
        Files.copy(
                service.root().resolve(first).resolve(file),
                service.root().resolve(id).resolve(file),
                StandardCopyOption.REPLACE_EXISTING);
        JsonNode verify =
                service.call("POST", "/api/v1/backups/" + id + "/verify", null).body();
        assertFalse(verify.get("passed").asBoolean(), verify.toString());
        assertEquals(file, verify.get("file_problems").get(0).get("file").asString(), verify.toString());

        // the whole signed manifest of the first backup, copied over the second's: signed, but for another run
        for (String name : new String[] {Manifest.FILE_NAME, ManifestFile.SIGNATURE_FILE}) {
            Files.copy(
                    service.root().resolve(first).resolve(name),
                    service.root().resolve(id).resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        BackupService.Reply restore =
                service.call("POST", "/api/v1/backups/" + id + "/restore", "{\"target\": \"scratch\"}");
        assertEquals(422, restore.status(), restore.toString());
        assertTrue(
                restore.body().get("error").get("message").asString().contains("belongs to backup " + first),
                restore.toString());
    }

    /**
     * Someone who holds the keys and writes the store (or a bug) puts statements into the DDL that a backup never
     * writes; the artifact is otherwise perfect (checksums and signature match). The restore runs none of them.
     */
    @Test
    void statementsABackupNeverWritesAreNotRunByARestore() throws Exception {
        JsonNode run = service.backup("{\"components\": [\"postgres\"]}");
        String id = run.get("id").asString();
        BackupSettings settings = service.context().getBean(BackupSettings.class);
        JsonMapper json = JsonMapperFactory.platformMapper();
        FilesystemTarget target = new FilesystemTarget(service.root());
        Manifest manifest = json.readValue(
                service.root().resolve(id).resolve(Manifest.FILE_NAME).toFile(), Manifest.class);
        ArtifactReader reader =
                new ArtifactReader(target, id, manifest, settings.encryption().cipher());
        ArrayNode schemas;
        try (InputStream in = reader.open("postgres-ddl.json")) {
            schemas = (ArrayNode) json.readTree(in);
        }
        String[] smuggled = {
            "CREATE TABLE smuggled (a int); COPY (SELECT 1) TO PROGRAM 'touch /tmp/sovereign-pwned'",
            "CREATE FUNCTION pwn() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "COPY (SELECT 1) TO PROGRAM 'touch /tmp/sovereign-pwned'",
            "CREATE OR REPLACE FUNCTION pwn() RETURNS int LANGUAGE c AS '/tmp/evil.so', 'pwn'",
            "CREATE TABLE smuggled AS SELECT pg_read_file('/etc/passwd')"
        };
        for (String statement : smuggled) {
            ArrayNode tampered = schemas.deepCopy();
            for (JsonNode schema : tampered) {
                if (schema.get("schema").asString().equals("shop")) {
                    ((ArrayNode) schema.get("preData")).insert(0, statement);
                }
            }
            // the filesystem target never overwrites: the attacker removes the files first
            for (FileEntry f : manifest.files()) {
                if (f.name().startsWith("postgres-ddl.json")) {
                    Files.delete(service.root().resolve(id).resolve(f.name()));
                }
            }
            Files.delete(service.root().resolve(id).resolve(Manifest.FILE_NAME));
            Files.delete(service.root().resolve(id).resolve(ManifestFile.SIGNATURE_FILE));
            ArtifactWriter writer =
                    new ArtifactWriter(target, id, id, settings.encryption().cipher(), 3);
            try (OutputStream out = writer.create("postgres", "postgres-ddl.json")) {
                out.write(json.writeValueAsBytes(tampered));
            }
            FileEntry rewritten = writer.files().get(0);
            List<FileEntry> files = manifest.files().stream()
                    .map(f -> f.name().equals(rewritten.name()) ? rewritten : f)
                    .toList();
            Manifest resigned = new Manifest(
                    manifest.formatVersion(),
                    manifest.runId(),
                    manifest.toolVersion(),
                    manifest.startedAt(),
                    manifest.finishedAt(),
                    manifest.compression(),
                    manifest.encryption(),
                    manifest.componentNames(),
                    manifest.components(),
                    files);
            ManifestFile.write(target, id, resigned, settings.manifestSigningKey(), json);

            for (String body :
                    new String[] {"{\"target\": \"scratch\"}", "{\"target\": \"original\", \"confirm\": \"" + id + "\"}"
                    }) {
                BackupService.Reply restore = service.call("POST", "/api/v1/backups/" + id + "/restore", body);
                assertEquals(200, restore.status(), restore.toString());
                assertFalse(restore.body().get("passed").asBoolean(), restore.toString());
                String error = restore.body()
                        .get("results")
                        .get("postgres")
                        .get("error")
                        .asString();
                assertTrue(error.contains("postgres-ddl.json") && error.contains("nothing restored"), error);
            }
            JsonNode verify = service.call("POST", "/api/v1/backups/" + id + "/verify", null)
                    .body();
            assertFalse(verify.get("passed").asBoolean(), verify.toString());
        }
        assertFalse(Files.exists(Path.of("/tmp/sovereign-pwned")));
        try (Connection c = service.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT (SELECT count(*) FROM pg_proc WHERE proname = 'pwn'),"
                        + " (SELECT count(*) FROM pg_class WHERE relname = 'smuggled'),"
                        + " (SELECT count(*) FROM shop.orders)")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no smuggled function");
            assertEquals(0, rs.getLong(2), "no smuggled table");
            assertEquals(2000, rs.getLong(3), "the live data is as it was");
        }
    }
}
