package ai.sovereign.backup.target.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.backup.support.Fixtures;
import ai.sovereign.testkit.SharedInfrastructure;
import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

/**
 * The S3 target against Adobe S3Mock running in this JVM (its Spring Boot application on a free port, path-style access, a
 * temporary root folder): backups land as objects under the configured prefix; the catalog, verify, restore, delete and
 * retention work on them as on the filesystem; a changed byte in an object fails verify naming the file and restore refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BackupTest {

    static final String BUCKET = "platform-backups";
    static final String PREFIX = "prod/eu";

    S3MockApplication s3mock;
    S3Client s3;
    BackupService service;

    @BeforeAll
    void start() throws Exception {
        Map<String, Object> mock = new HashMap<>();
        mock.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        mock.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        mock.put("com.adobe.testing.s3mock.store.initial-buckets", BUCKET);
        mock.put(
                "com.adobe.testing.s3mock.store.root",
                Files.createTempDirectory("s3mock-").toString());
        mock.put(S3MockApplication.PROP_SILENT, true);
        s3mock = S3MockApplication.start(mock);
        String endpoint = "http://127.0.0.1:" + s3mock.getHttpPort();
        s3 = S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();

        Map<String, Object> props = new HashMap<>();
        props.put("backup.encryption.key", BackupService.KEY);
        props.put("backup.s3.endpoint", endpoint);
        props.put("backup.s3.region", "us-east-1");
        props.put("backup.s3.bucket", BUCKET);
        props.put("backup.s3.prefix", "/" + PREFIX + "/");
        props.put("backup.s3.access-key-id", "test");
        props.put("backup.s3.secret-access-key", "test");
        props.put("backup.s3.path-style-access", true);
        props.put("backup.s3.part-size-mb", 5);
        props.put("backup.default-target", "s3");
        props.put("backup.retention.keep-daily", 1);
        props.put("backup.retention.keep-weekly", 0);
        props.put("backup.retention.keep-monthly", 0);
        props.put("backup.retention.min-age", "0s");
        service = BackupService.start(
                SharedInfrastructure.postgres().newServiceDatabase("s3"),
                Files.createTempDirectory("backup-s3-"),
                props);
        try (Connection c = service.connect();
                Statement st = c.createStatement()) {
            Fixtures.fillPostgres(c);
            // about 14 MB of hex text (about 7 MB compressed), so that the shop data file is bigger than one 5 MiB
            // part: a multipart upload
            st.execute("SET ROLE ingestion");
            st.execute("CREATE TABLE shop.blobs (id int PRIMARY KEY, body text)");
            st.execute(
                    "INSERT INTO shop.blobs SELECT g, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 64) i)"
                            + " FROM generate_series(1, 7000) g");
        }
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3mock != null) {
            s3mock.stop();
        }
    }

    @Test
    void backupVerifyRestoreCorruptionAndRetentionThroughS3() throws Exception {
        // backup → objects under the prefix, nothing on the filesystem
        JsonNode a = service.backup(
                "{\"components\": [\"postgres\", \"config\"], \"target\": \"s3\", \"path\": \"nightly\"}");
        assertEquals("succeeded", a.get("status").asString(), a.toString());
        assertEquals("s3", a.get("target").asString());
        String idA = a.get("id").asString();
        List<String> keys = keys(PREFIX + "/nightly/" + idA + "/");
        assertTrue(keys.contains("manifest.json"), keys.toString());
        long biggest = 0;
        for (JsonNode file : a.get("manifest").get("files")) {
            String name = file.get("name").asString();
            assertTrue(keys.contains(name), name + " in " + keys);
            long size = s3.headObject(b -> b.bucket(BUCKET).key(PREFIX + "/nightly/" + idA + "/" + name))
                    .contentLength();
            assertEquals(file.get("size").asLong(), size, name);
            biggest = Math.max(biggest, size);
        }
        assertTrue(biggest > 5 * 1024 * 1024, "one file went up as a multipart upload (" + biggest + " bytes)");
        try (var files = Files.list(service.root())) {
            assertEquals(0, files.count(), "nothing written to the filesystem target");
        }
        JsonNode catalog = service.call("GET", "/api/v1/backups", null).body();
        assertEquals(idA, catalog.get("data").get(0).get("id").asString(), catalog.toString());

        // verify: checksums of the objects, then restore into scratch and compare
        BackupService.Reply verify = service.call("POST", "/api/v1/backups/" + idA + "/verify", null);
        assertEquals(200, verify.status(), verify.toString());
        assertTrue(verify.body().get("passed").asBoolean(), verify.toString());

        // restore over a wiped schema, from S3
        try (Connection c = service.connect();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA shop CASCADE");
        }
        BackupService.Reply restored = service.call(
                "POST",
                "/api/v1/backups/" + idA + "/restore",
                "{\"target\": \"original\", \"components\": [\"postgres\"], \"confirm\": \"" + idA + "\"}");
        assertEquals(200, restored.status(), restored.toString());
        assertTrue(restored.body().get("passed").asBoolean(), restored.toString());
        try (Connection c = service.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT (SELECT count(*) FROM shop.orders), (SELECT count(*) FROM shop.blobs)")) {
            rs.next();
            assertEquals(2000, rs.getLong(1));
            assertEquals(7000, rs.getLong(2));
        }

        // one changed byte in one object: verify names the file, restore refuses
        JsonNode b = service.backup("{\"components\": [\"postgres\"], \"target\": \"s3\"}");
        String idB = b.get("id").asString();
        String victim = null;
        for (JsonNode file : b.get("manifest").get("files")) {
            if (file.get("size").asLong() > 100) {
                victim = file.get("name").asString();
                break;
            }
        }
        String victimKey = PREFIX + "/" + idB + "/" + victim;
        byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(victimKey)).asByteArray();
        bytes[bytes.length / 2] ^= 0x01;
        s3.putObject(r -> r.bucket(BUCKET).key(victimKey), RequestBody.fromBytes(bytes));
        JsonNode failed =
                service.call("POST", "/api/v1/backups/" + idB + "/verify", null).body();
        assertFalse(failed.get("passed").asBoolean(), failed.toString());
        assertEquals(1, failed.get("file_problems").size(), failed.toString());
        assertEquals(victim, failed.get("file_problems").get(0).get("file").asString());
        assertTrue(
                failed.get("file_problems").get(0).get("problem").asString().startsWith("SHA-256"), failed.toString());
        BackupService.Reply refused =
                service.call("POST", "/api/v1/backups/" + idB + "/restore", "{\"target\": \"scratch\"}");
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.body().get("error").get("message").asString().contains(victim), refused.toString());
        s3.deleteObject(r -> r.bucket(BUCKET).key(victimKey));
        JsonNode missing =
                service.call("POST", "/api/v1/backups/" + idB + "/verify", null).body();
        assertEquals(
                "missing", missing.get("file_problems").get(0).get("problem").asString(), missing.toString());

        // retention (keep-daily 1, min-age 0): the newest run and the newest verified run (A) stay; B's objects go
        JsonNode c = service.backup("{\"components\": [\"config\"]}");
        String idC = c.get("id").asString();
        assertEquals(
                "s3",
                c.get("target").asString(),
                "backup.default-target applies to requests without a target (and to schedules)");
        assertFalse(keys(PREFIX + "/" + idC + "/").isEmpty());
        JsonNode retention = service.call("POST", "/api/v1/backups/retention/apply", "{\"dry_run\": false}")
                .body();
        assertEquals(List.of(idB), strings(retention.get("deleted")), retention.toString());
        assertTrue(keys(PREFIX + "/" + idB + "/").isEmpty(), "B's objects are deleted");
        assertFalse(keys(PREFIX + "/nightly/" + idA + "/").isEmpty(), "the newest verified run is kept");
        assertEquals(404, service.call("GET", "/api/v1/backups/" + idB, null).status());

        // delete
        BackupService.Reply deleted = service.call("DELETE", "/api/v1/backups/" + idC, null);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(404, service.call("GET", "/api/v1/backups/" + idC, null).status());
        assertTrue(keys(PREFIX + "/" + idC + "/").isEmpty(), "deleted run's objects are gone");
    }

    @Test
    void healthHeadsTheBucket() {
        BackupService.Reply health = service.call("GET", "/health", null, null);
        assertEquals(200, health.status(), health.toString());
        JsonNode s3Health = health.body().get("details").get("s3");
        assertEquals("UP", s3Health.get("status").asString(), health.toString());
        assertTrue(s3Health.get("details").get("target").asString().contains(BUCKET), s3Health.toString());

        // a bucket that does not exist: DOWN, saying which
        S3Target missing = new S3Target(S3Settings.of(
                "http://127.0.0.1:" + s3mock.getHttpPort(),
                "us-east-1",
                "no-such-bucket",
                "",
                "test",
                "test",
                true,
                5));
        try {
            var result = new S3HealthCheck(missing).check();
            assertFalse(result.up(), result.toString());
            assertTrue(String.valueOf(result.details().get("error")).contains("no-such-bucket"), result.toString());
        } finally {
            missing.close();
        }
    }

    private List<String> keys(String folder) {
        List<String> names = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(folder))) {
            for (S3Object object : page.contents()) {
                names.add(object.key().substring(folder.length()));
            }
        }
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
