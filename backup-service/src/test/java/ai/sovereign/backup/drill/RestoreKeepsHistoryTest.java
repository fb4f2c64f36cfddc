package ai.sovereign.backup.drill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A restore into the original stores brings the services' data back to the backup, but does not rewrite history or
 * re-open doors: the audit trail stays as it is unless asked for by name with its own confirmation, and an API key
 * revoked or rotated after the backup stays revoked or rotated.
 */
class RestoreKeepsHistoryTest {

    private static final String A = "00000000-0000-0000-0000-00000000000a";
    private static final String B = "00000000-0000-0000-0000-00000000000b";
    private static final String C = "00000000-0000-0000-0000-00000000000c";
    private static final String D = "00000000-0000-0000-0000-00000000000d";

    @Test
    void revokedKeysStayRevokedRotatedKeysKeepTheirNewSecretAndTheAuditTrailStaysUnlessUnlocked() throws Exception {
        String url = SharedInfrastructure.postgres().newServiceDatabase("keepshistory");
        try (BackupService service = BackupService.start(url, Files.createTempDirectory("backup-history-"), Map.of());
                Connection c = service.connect();
                Statement st = c.createStatement()) {
            st.execute("""
                    SET ROLE gateway;
                    CREATE TABLE gateway.api_keys (id UUID PRIMARY KEY, name TEXT NOT NULL, key_hash BYTEA NOT NULL UNIQUE,
                        key_prefix TEXT NOT NULL, revoked_at TIMESTAMPTZ);
                    INSERT INTO gateway.api_keys VALUES
                        ('%s', 'a', '\\xaa', 'sk-a', NULL), ('%s', 'b', '\\xbb', 'sk-b', NULL), ('%s', 'c', '\\xcc', 'sk-c', NULL);
                    RESET ROLE;
                    SET ROLE audit_owner;
                    CREATE TABLE audit.events (seq BIGINT PRIMARY KEY, action TEXT NOT NULL);
                    INSERT INTO audit.events VALUES (1, 'key.create'), (2, 'key.create');
                    RESET ROLE;
                    CREATE SCHEMA stray;
                    CREATE TABLE stray.notes (n INT);
                    """.formatted(A, B, C));
            JsonNode run = service.backup("{\"components\": [\"postgres\"]}");
            assertEquals("succeeded", run.get("status").asString(), run.toString());
            // a schema only the superuser owns is not the backup login's to read: left out, and said so
            JsonNode postgres = run.get("manifest").get("components").get("postgres");
            assertTrue(
                    postgres.get("details").get("skipped_schemas").toString().contains("stray (owned by postgres"),
                    postgres.toString());
            assertFalse(postgres.get("counts").has("stray.notes"), postgres.toString());
            String id = run.get("id").asString();

            // after the backup: A revoked, B rotated, D created, and the trail says so
            st.execute("""
                    UPDATE gateway.api_keys SET revoked_at = now() WHERE id = '%s';
                    UPDATE gateway.api_keys SET key_hash = '\\xbe', key_prefix = 'sk-b2' WHERE id = '%s';
                    INSERT INTO gateway.api_keys VALUES ('%s', 'd', '\\xdd', 'sk-d', NULL);
                    INSERT INTO audit.events VALUES (3, 'key.revoke'), (4, 'key.rotate'), (5, 'key.create');
                    """.formatted(A, B, D));

            BackupService.Reply restored = service.call(
                    "POST",
                    "/api/v1/backups/" + id + "/restore",
                    "{\"target\": \"original\", \"confirm\": \"" + id + "\"}");
            assertEquals(200, restored.status(), restored.toString());
            assertTrue(restored.body().get("passed").asBoolean(), restored.toString());
            JsonNode details = restored.body().get("results").get("postgres").get("details");
            assertEquals(2, details.get("api_keys_kept_revoked_or_rotated").asInt(), details.toString());
            assertEquals("[\"audit\"]", details.get("kept_live").toString());

            try (ResultSet rs =
                    st.executeQuery("SELECT id::text, revoked_at, key_hash FROM gateway.api_keys ORDER BY id")) {
                assertTrue(rs.next());
                assertEquals(A, rs.getString(1));
                assertNotNull(rs.getTimestamp(2), "revoked after the backup: still revoked");
                assertTrue(rs.next());
                assertEquals(B, rs.getString(1));
                assertNull(rs.getTimestamp(2));
                assertArrayEquals(new byte[] {(byte) 0xbe}, rs.getBytes(3), "rotated after the backup: the new secret");
                assertTrue(rs.next());
                assertEquals(C, rs.getString(1));
                assertFalse(rs.next(), "created after the backup: gone with the schema's newer rows");
            }
            assertEquals(5, count(st, "SELECT count(*) FROM audit.events"), "the audit trail is not rolled back");

            BackupService.Reply notProtected = service.call(
                    "POST",
                    "/api/v1/backups/" + id + "/restore",
                    "{\"target\": \"original\", \"confirm\": \"" + id + "\", \"protected_schemas\": [\"gateway\"]}");
            assertEquals(400, notProtected.status(), notProtected.toString());
            BackupService.Reply unconfirmed = service.call(
                    "POST",
                    "/api/v1/backups/" + id + "/restore",
                    "{\"target\": \"original\", \"confirm\": \"" + id + "\", \"protected_schemas\": [\"audit\"],"
                            + " \"confirm_protected\": \"" + id + "\"}");
            assertEquals(400, unconfirmed.status(), unconfirmed.toString());
            assertEquals(
                    "confirm_protected",
                    unconfirmed.body().get("error").get("param").asString());
            assertEquals(5, count(st, "SELECT count(*) FROM audit.events"), "a refused restore changes nothing");

            BackupService.Reply unlocked = service.call(
                    "POST",
                    "/api/v1/backups/" + id + "/restore",
                    "{\"target\": \"original\", \"confirm\": \"" + id + "\", \"protected_schemas\": [\"audit\"],"
                            + " \"confirm_protected\": \"" + id + "/audit\"}");
            assertEquals(200, unlocked.status(), unlocked.toString());
            assertEquals(2, count(st, "SELECT count(*) FROM audit.events"), "asked for by name: the backup's trail");
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
