package ai.sovereign.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.gateway.support.AuditEvents;
import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The admin API for keys, authentication and role checks, over HTTP on real PostgreSQL and Kafka. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminKeysTest {

    private GatewayFixture gateway;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void createdKeyIsShownOnceAndWorks() {
        Key key = gateway.createKey("""
                {"name":"ci","tenant":"acme","role":"user","allowed_models":["llama*"],"rpm":100,"tpm":5000,
                 "monthly_token_budget":1000000,"max_concurrent":4,"expires_at":"2099-01-01T00:00:00Z"}""");
        assertTrue(key.secret().startsWith("sk-"));
        assertEquals(key.secret().substring(0, 10), key.body().get("key_prefix").stringValue());
        assertEquals("acme", key.body().get("tenant").stringValue());
        assertEquals(4, key.body().get("max_concurrent").intValue());

        Reply read = gateway.send("GET", "/admin/keys/" + key.id(), GatewayFixture.ADMIN_KEY, null);
        assertEquals(200, read.status());
        assertFalse(read.json().has("key"), "the secret is never shown again");
        assertFalse(read.body().contains(key.secret()));
        assertEquals("llama*", read.json().get("allowed_models").get(0).stringValue());

        Reply list = gateway.send("GET", "/admin/keys?tenant=acme", GatewayFixture.ADMIN_KEY, null);
        assertEquals(200, list.status());
        assertFalse(list.body().contains(key.secret()));
        assertTrue(list.body().contains(key.id()));

        assertEquals(200, gateway.send("GET", "/v1/models", key.secret(), null).status());
    }

    @Test
    void onlyAKeyedHashOfTheKeyIsStored() throws Exception {
        Key key = gateway.createKey("{\"name\":\"hash-check\",\"tenant\":\"acme\"}");
        DataSource dataSource = gateway.bean(DataSource.class);
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM gateway.api_keys WHERE id = '" + key.id() + "'")) {
            assertTrue(rs.next());
            byte[] hash = rs.getBytes("key_hash");
            assertEquals(32, hash.length);
            assertArrayEquals(new KeyHasher(gateway.bean(KeySettings.class).secret()).hash(key.secret()), hash);
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String value = rs.getString(i);
                assertFalse(
                        value != null && value.contains(key.secret()),
                        "column " + rs.getMetaData().getColumnName(i));
            }
            assertFalse(new String(hash, StandardCharsets.ISO_8859_1).contains(key.secret()));
        }
    }

    @Test
    void missingOrUnknownKeyGets401InTheOpenAiShape() {
        Reply none = gateway.send("GET", "/v1/models", null, null);
        assertEquals(401, none.status());
        assertEquals(
                "authentication_error", none.json().get("error").get("type").stringValue());
        assertEquals("invalid_api_key", none.json().get("error").get("code").stringValue());

        Reply wrong = gateway.send("GET", "/v1/models", "sk-not-a-real-key-at-all-000000000", null);
        assertEquals(401, wrong.status());
        assertTrue(wrong.json().get("error").get("message").stringValue().contains("invalid API key"));
        assertFalse(wrong.body().contains("sk-not-a-real-key"), "the presented key is not echoed");
    }

    @Test
    void revokedKeyGets401AndRevocationIsAudited() {
        Key key = gateway.createKey("{\"name\":\"to-revoke\",\"tenant\":\"acme\"}");
        assertEquals(200, gateway.send("GET", "/v1/models", key.secret(), null).status());

        Reply revoked = gateway.send("DELETE", "/admin/keys/" + key.id(), GatewayFixture.ADMIN_KEY, null);
        assertEquals(200, revoked.status());
        assertTrue(revoked.json().get("revoked_now").booleanValue());
        assertTrue(revoked.json().get("revoked_at").isString());

        Reply refused = gateway.send("GET", "/v1/models", key.secret(), null);
        assertEquals(401, refused.status());
        assertTrue(refused.json().get("error").get("message").stringValue().contains("revoked"));

        AuditEvent event = AuditEvents.awaitEvent(
                e -> e.action().equals("key.revoke") && e.resourceId().equals(key.id()));
        assertEquals(AuditEvent.Outcome.SUCCESS, event.outcome());
        AuditEvent failure = AuditEvents.awaitEvent(e -> e.action().equals("auth.failure")
                && e.reason() != null
                && e.reason().contains(key.id()));
        assertEquals(AuditEvent.Outcome.FAILURE, failure.outcome());
        assertFalse(failure.toString().contains(key.secret()), "no key material in the audit trail");
    }

    @Test
    void expiredKeyGets401() {
        Key key = gateway.createKey("{\"name\":\"old\",\"tenant\":\"acme\",\"expires_at\":\"2020-01-01T00:00:00Z\"}");
        Reply refused = gateway.send("GET", "/v1/models", key.secret(), null);
        assertEquals(401, refused.status());
        assertTrue(refused.json().get("error").get("message").stringValue().contains("expired"));
    }

    @Test
    void rotationReplacesTheSecretAndKeepsTheId() {
        Key key = gateway.createKey("{\"name\":\"rotating\",\"tenant\":\"acme\"}");
        Reply rotated = gateway.send("POST", "/admin/keys/" + key.id() + "/rotate", GatewayFixture.ADMIN_KEY, null);
        assertEquals(200, rotated.status());
        String secret = rotated.json().get("key").stringValue();
        assertNotEquals(key.secret(), secret);
        assertEquals(key.id(), rotated.json().get("id").stringValue());
        assertEquals(401, gateway.send("GET", "/v1/models", key.secret(), null).status());
        assertEquals(200, gateway.send("GET", "/v1/models", secret, null).status());
        AuditEvents.awaitEvent(
                e -> e.action().equals("key.rotate") && e.resourceId().equals(key.id()));
        AuditEvents.awaitEvent(
                e -> e.action().equals("key.create") && e.resourceId().equals(key.id()));
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        Key key = gateway.createKey("{\"name\":\"patchable\",\"tenant\":\"acme\",\"rpm\":10,\"tpm\":100}");
        Reply patched = gateway.send(
                "PATCH",
                "/admin/keys/" + key.id(),
                GatewayFixture.ADMIN_KEY,
                "{\"rpm\":20,\"tpm\":null,\"allowed_models\":[\"qwen*\"]}");
        assertEquals(200, patched.status());
        assertEquals(20, patched.json().get("rpm").intValue());
        assertTrue(patched.json().get("tpm").isNull());
        assertEquals("patchable", patched.json().get("name").stringValue());
        assertEquals("qwen*", patched.json().get("allowed_models").get(0).stringValue());

        Reply tenant =
                gateway.send("PATCH", "/admin/keys/" + key.id(), GatewayFixture.ADMIN_KEY, "{\"tenant\":\"other\"}");
        assertEquals(400, tenant.status());
        assertEquals("tenant", tenant.json().get("error").get("param").stringValue());
        Reply negative = gateway.send("PATCH", "/admin/keys/" + key.id(), GatewayFixture.ADMIN_KEY, "{\"rpm\":-1}");
        assertEquals(400, negative.status());
        assertEquals("rpm", negative.json().get("error").get("param").stringValue());
        assertEquals(
                404,
                gateway.send("GET", "/admin/keys/00000000-0000-0000-0000-000000000000", GatewayFixture.ADMIN_KEY, null)
                        .status());
        assertEquals(
                404,
                gateway.send("GET", "/admin/keys/not-a-uuid", GatewayFixture.ADMIN_KEY, null)
                        .status());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAuditTrailRecordsWhatAnAdminGrantedAndChangedButNeverTheSecret() {
        Key granted = gateway.createKey("""
                {"name":"ops-admin","tenant":"acme","role":"admin","allowed_models":["*"],"rpm":60,
                 "monthly_token_budget":5000,"expires_at":"2099-01-01T00:00:00Z"}""");
        AuditEvent created = AuditEvents.awaitEvent(
                e -> e.action().equals("key.create") && e.resourceId().equals(granted.id()));
        Map<String, Object> key = (Map<String, Object>) created.details().get("key");
        assertEquals("admin", key.get("role"));
        assertEquals("acme", key.get("tenant"));
        assertEquals("ops-admin", key.get("name"));
        assertEquals(60, ((Number) key.get("rpm")).intValue());
        assertEquals(5000, ((Number) key.get("monthly_token_budget")).intValue());
        assertEquals("2099-01-01T00:00:00Z", key.get("expires_at"));
        assertEquals(List.of("*"), key.get("allowed_models"));
        assertFalse(created.details().toString().contains(granted.secret()), "never the secret");
        assertFalse(created.details().toString().contains(granted.secret().substring(0, 10)), "nor its prefix");

        Reply patched = gateway.send(
                "PATCH", "/admin/keys/" + granted.id(), GatewayFixture.ADMIN_KEY, "{\"rpm\":600,\"role\":\"user\"}");
        assertEquals(200, patched.status(), patched.body());
        AuditEvent updated = AuditEvents.awaitEvent(
                e -> e.action().equals("key.update") && e.resourceId().equals(granted.id()));
        Map<String, Object> changes = (Map<String, Object>) updated.details().get("changes");
        // an admin key's default priority cap is 9, a user key's 0: the role change moved it too
        assertEquals(java.util.Set.of("rpm", "role", "max_priority"), changes.keySet(), "only what changed");
        assertEquals(Map.of("before", 9, "after", 0), changes.get("max_priority"));
        Map<String, Object> rpm = (Map<String, Object>) changes.get("rpm");
        assertEquals(60, ((Number) rpm.get("before")).intValue());
        assertEquals(600, ((Number) rpm.get("after")).intValue());
        assertEquals(Map.of("before", "admin", "after", "user"), changes.get("role"));

        assertEquals(
                200,
                gateway.send("DELETE", "/admin/keys/" + granted.id(), GatewayFixture.ADMIN_KEY, null)
                        .status());
        AuditEvent revoked = AuditEvents.awaitEvent(
                e -> e.action().equals("key.revoke") && e.resourceId().equals(granted.id()));
        assertEquals("ops-admin", ((Map<String, Object>) revoked.details().get("key")).get("name"));
        assertEquals(true, revoked.details().get("revoked_now"));
    }

    @Test
    void userAndAuditorKeysGet403OnTheAdminApi() {
        Key user = gateway.createKey("{\"name\":\"u\",\"tenant\":\"acme\",\"role\":\"user\"}");
        Key auditor = gateway.createKey("{\"name\":\"a\",\"tenant\":\"acme\",\"role\":\"auditor\"}");
        for (Key key : new Key[] {user, auditor}) {
            Reply refused = gateway.send("POST", "/admin/keys", key.secret(), "{\"name\":\"x\",\"tenant\":\"acme\"}");
            assertEquals(403, refused.status());
            assertEquals(
                    "permission_error", refused.json().get("error").get("type").stringValue());
            assertEquals(
                    403, gateway.send("GET", "/admin/keys", key.secret(), null).status());
        }
        AuditEvents.awaitEvent(
                e -> e.action().equals("permission.denied") && e.actor().equals(user.id()));
    }

    @Test
    void generatedBootstrapKeyIsWrittenOwnerOnlyAndNotRegenerated(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/bootstrap-admin.key");
        Map<String, Object> props = new HashMap<>(Map.of("gateway.bootstrap.key-file", file.toString()));
        props.put("sovereign.bootstrap.admin-key", "");
        String secret;
        Map<String, Object> used;
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        GatewayFixture started;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            started = GatewayFixture.start(props);
        } finally {
            System.setOut(stdout);
        }
        try (GatewayFixture fresh = started) {
            assertTrue(Files.exists(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            secret = Files.readString(file).trim();
            String output = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(output.contains(file.toAbsolutePath().toString()), "the file's path is printed: " + output);
            assertFalse(output.contains(secret), "the key itself is never printed");
            Reply created = fresh.send(
                    "POST", "/admin/keys", secret, "{\"name\":\"mine\",\"tenant\":\"ops\",\"role\":\"admin\"}");
            assertEquals(201, created.status());
            assertEquals(
                    401,
                    fresh.send("GET", "/v1/models", GatewayFixture.ADMIN_KEY, null)
                            .status(),
                    "no environment key was configured");
            used = fresh.properties();
        }
        Files.delete(file);
        Map<String, Object> again = new HashMap<>(used);
        again.remove("gateway.upstreams.router");
        try (GatewayFixture restarted = GatewayFixture.start(again)) {
            assertFalse(Files.exists(file), "an admin key exists, so none is generated");
            assertEquals(200, restarted.send("GET", "/admin/keys", secret, null).status());
        }
    }

    @Test
    void ofTwoReplicasStartingOnAnEmptyKeyTableExactlyOneGeneratesTheBootstrapKey(@TempDir Path dir) throws Exception {
        Map<String, Object> shared = new HashMap<>(ai.sovereign.testkit.SharedInfrastructure.postgresProperties(
                ai.sovereign.testkit.DatabaseRoles.GATEWAY));
        shared.put("sovereign.bootstrap.admin-key", "");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<GatewayFixture>> replicas = new java.util.ArrayList<>();
        for (String replica : List.of("a", "b")) {
            Map<String, Object> props = new HashMap<>(shared);
            props.put(
                    "gateway.bootstrap.key-file",
                    dir.resolve(replica + "/bootstrap-admin.key").toString());
            replicas.add(pool.submit(() -> GatewayFixture.start(props)));
        }
        List<GatewayFixture> started = new java.util.ArrayList<>();
        try {
            for (var replica : replicas) {
                started.add(replica.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            long files = List.of("a", "b").stream()
                    .filter(replica -> Files.exists(dir.resolve(replica + "/bootstrap-admin.key")))
                    .count();
            assertEquals(1, files, "one replica wrote the key");
            String secret = Files.readString(
                            Files.exists(dir.resolve("a/bootstrap-admin.key"))
                                    ? dir.resolve("a/bootstrap-admin.key")
                                    : dir.resolve("b/bootstrap-admin.key"))
                    .strip();
            Reply keys = started.getFirst().send("GET", "/admin/keys", secret, null);
            assertEquals(200, keys.status(), keys.body());
            long admins = 0;
            for (var key : keys.json().get("data")) {
                if (key.get("role").asString().equals("admin")) {
                    admins++;
                }
            }
            assertEquals(1, admins, keys.body());
        } finally {
            started.forEach(GatewayFixture::close);
            pool.shutdownNow();
        }
    }
}
