package ai.sovereign.backup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The API's guards, over HTTP: one run per component (409), paths that stay in the root, 400s naming the field, roles, delete and retention. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupApiTest {

    BackupService service;
    Path root;
    Path outside;

    @BeforeAll
    void start() throws Exception {
        Path base = Files.createTempDirectory("backup-api-");
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
        service = BackupService.start(
                SharedInfrastructure.postgres().newServiceDatabase("backupapi"),
                root,
                Map.of(
                        "backup.retention.keep-daily",
                        "1",
                        "backup.retention.keep-weekly",
                        "0",
                        "backup.retention.keep-monthly",
                        "0",
                        "backup.retention.min-age",
                        "0s"));
        try (Connection c = service.connect();
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE SCHEMA shop AUTHORIZATION ingestion; SET ROLE ingestion; CREATE TABLE shop.items (id INT PRIMARY KEY, name TEXT);"
                            + " INSERT INTO shop.items SELECT i, 'item ' || i FROM generate_series(1, 100) i; RESET ROLE");
        }
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aSecondRunOfABusyComponentIsRefusedWith409() throws Exception {
        try (Connection locker = service.connect();
                Statement st = locker.createStatement()) {
            locker.setAutoCommit(false);
            st.execute("LOCK TABLE shop.items IN ACCESS EXCLUSIVE MODE");
            BackupService.Reply first = service.call("POST", "/api/v1/backups", "{\"components\": [\"postgres\"]}");
            assertEquals(202, first.status(), first.toString());
            BackupService.Reply second =
                    service.call("POST", "/api/v1/backups", "{\"components\": [\"config\", \"postgres\"]}");
            assertEquals(409, second.status(), second.toString());
            assertEquals("components", second.body().get("error").get("param").asString());
            assertTrue(second.body().get("error").get("message").asString().contains("postgres"));
            BackupService.Reply other = service.call("POST", "/api/v1/backups", "{\"components\": [\"config\"]}");
            assertEquals(202, other.status(), "config is not busy: " + other);
            assertEquals(
                    "running",
                    service.call(
                                    "GET",
                                    "/api/v1/backups/" + first.body().get("id").asString(),
                                    null)
                            .body()
                            .get("status")
                            .asString());
            locker.rollback();
            assertEquals(
                    "succeeded",
                    service.awaitFinished(first.body().get("id").asString())
                            .get("status")
                            .asString());
            assertEquals(
                    "succeeded",
                    service.awaitFinished(other.body().get("id").asString())
                            .get("status")
                            .asString());
        }
        JsonNode again = service.backup("{\"components\": [\"postgres\"]}");
        assertEquals("succeeded", again.get("status").asString(), "the component is free again");
    }

    @ParameterizedTest(name = "path {0}")
    @CsvSource({"../outside", "/etc", "a/../../outside", "..", "a//b", "nightly/", "evil", "evil/inner", "C:\\\\x"})
    void pathsThatWouldLeaveTheBackupRootAre400(String path) throws Exception {
        if (!Files.exists(root.resolve("evil"))) {
            Files.createSymbolicLink(root.resolve("evil"), outside);
        }
        BackupService.Reply reply = service.call(
                "POST",
                "/api/v1/backups",
                "{\"components\": [\"config\"], \"path\": " + BackupService.JSON.writeValueAsString(path) + "}");
        assertEquals(400, reply.status(), reply.toString());
        assertEquals("path", reply.body().get("error").get("param").asString());
        try (var files = Files.list(outside)) {
            assertEquals(0, files.count(), "nothing written outside the root");
        }
    }

    @Test
    void aNestedFolderInsideTheRootIsAccepted() {
        JsonNode run = service.backup("{\"components\": [\"config\"], \"path\": \"nightly/eu-1\"}");
        assertEquals("succeeded", run.get("status").asString());
        assertTrue(Files.exists(
                root.resolve("nightly/eu-1").resolve(run.get("id").asString()).resolve("manifest.json")));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "POST|/api/v1/backups|{\"components\": [\"mysql\"]}|components",
                "POST|/api/v1/backups|{\"components\": \"postgres\"}|components",
                "POST|/api/v1/backups|{\"components\": [1]}|components",
                "POST|/api/v1/backups|{\"target\": \"ftp\"}|target",
                "POST|/api/v1/backups|{\"path\": 7}|path",
                "POST|/api/v1/backups|[1, 2]|",
                "POST|/api/v1/backups|{not json|",
                "GET|/api/v1/backups?limit=abc||limit",
                "GET|/api/v1/backups?limit=0||limit",
                "GET|/api/v1/backups/not-an-id||id",
                "GET|/api/v1/backups/..%2F..%2Fetc%2Fpasswd||id",
                "DELETE|/api/v1/backups/%2E%2E||id",
                "POST|/api/v1/backups/b-20260101T030000Z-abcd/restore|{\"target\": \"elsewhere\"}|target",
                "POST|/api/v1/backups/b-20260101T030000Z-abcd/restore|{}|target",
                "POST|/api/v1/backups/b-20260101T030000Z-abcd/restore|{\"target\": \"scratch\", \"dry_run\": \"yes\"}|dry_run",
                "POST|/api/v1/backups/retention/apply|{\"dry_run\": 1}|dry_run"
            })
    void badInputIs400NamingTheField(String method, String path, String body, String param) {
        BackupService.Reply reply = service.call(method, path, body);
        assertEquals(400, reply.status(), reply.toString());
        assertEquals(
                "invalid_request_error", reply.body().get("error").get("type").asString(), reply.toString());
        if (param != null) {
            assertEquals(param, reply.body().get("error").get("param").asString(), reply.toString());
        }
    }

    @Test
    void unknownBackupIs404() {
        BackupService.Reply reply = service.call("GET", "/api/v1/backups/b-20200101T000000Z-0000", null);
        assertEquals(404, reply.status());
        assertEquals(
                404,
                service.call("POST", "/api/v1/backups/b-20200101T000000Z-0000/restore", "{\"target\": \"scratch\"}")
                        .status());
    }

    @Test
    void onlyAdminsMayUseTheApi() {
        assertEquals(401, service.call("GET", "/api/v1/backups", null, null).status());
        assertEquals(
                403,
                service.call("GET", "/api/v1/backups", null, service.token(Role.USER))
                        .status());
        assertEquals(
                403,
                service.call("POST", "/api/v1/backups", "{}", service.token(Role.AUDITOR))
                        .status());
        // a compromised ingestion signs an admin token for the backup-service with its own key: refused, as is the
        // gateway's admin token for another service
        String ingestion = ServiceTokenSigner.development("ingestion", Clock.systemUTC())
                .issue("backup-service", "ingestion", "_platform", Role.ADMIN, Duration.ofMinutes(1));
        BackupService.Reply fromIngestion = service.call("POST", "/api/v1/backups", "{}", ingestion);
        assertEquals(401, fromIngestion.status());
        assertEquals(
                "ingestion may not call backup-service",
                fromIngestion.body().path("error").path("message").asString());
        String forAudit = ServiceTokenSigner.development("gateway", Clock.systemUTC())
                .issue("audit-service", "key-1", "_platform", Role.ADMIN, Duration.ofMinutes(1));
        assertEquals(
                401, service.call("POST", "/api/v1/backups", "{}", forAudit).status());
    }

    @Test
    void deleteRemovesFilesAndCatalogEntry() {
        JsonNode run = service.backup("{\"components\": [\"config\"], \"path\": \"to-delete\"}");
        String id = run.get("id").asString();
        assertTrue(Files.isDirectory(root.resolve("to-delete").resolve(id)));
        assertEquals(200, service.call("DELETE", "/api/v1/backups/" + id, null).status());
        assertFalse(Files.exists(root.resolve("to-delete").resolve(id)));
        assertEquals(404, service.call("GET", "/api/v1/backups/" + id, null).status());
    }

    @Test
    void retentionKeepsTheNewestAndTheNewestVerifiedAndListsNewestFirst() {
        String oldest = service.backup("{\"components\": [\"config\"], \"path\": \"ret\"}")
                .get("id")
                .asString();
        assertTrue(service.call("POST", "/api/v1/backups/" + oldest + "/verify", null)
                .body()
                .get("passed")
                .asBoolean());
        String middle = service.backup("{\"components\": [\"config\"], \"path\": \"ret\"}")
                .get("id")
                .asString();
        String newest = service.backup("{\"components\": [\"config\"], \"path\": \"ret\"}")
                .get("id")
                .asString();

        List<String> listed = service.call("GET", "/api/v1/backups", null)
                .body()
                .get("data")
                .valueStream()
                .map(r -> r.get("id").asString())
                .toList();
        assertEquals(List.of(newest, middle, oldest), listed.subList(0, 3), "newest first");

        JsonNode dryRun = service.call("POST", "/api/v1/backups/retention/apply", "{\"dry_run\": true}")
                .body();
        assertTrue(dryRun.get("keep").has(newest), dryRun.toString());
        assertTrue(dryRun.get("keep").has(oldest), "the newest verified backup is never deleted: " + dryRun);
        assertTrue(dryRun.get("delete").toString().contains(middle), dryRun.toString());
        assertTrue(Files.exists(root.resolve("ret").resolve(middle)), "a dry run deletes nothing");

        JsonNode applied = service.call("POST", "/api/v1/backups/retention/apply", "{\"dry_run\": false}")
                .body();
        assertTrue(applied.get("deleted").toString().contains(middle), applied.toString());
        assertFalse(Files.exists(root.resolve("ret").resolve(middle)));
        assertTrue(Files.exists(root.resolve("ret").resolve(oldest)));
        assertTrue(Files.exists(root.resolve("ret").resolve(newest)));
        assertEquals(404, service.call("GET", "/api/v1/backups/" + middle, null).status());
    }
}
