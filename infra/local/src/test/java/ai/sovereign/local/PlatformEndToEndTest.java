package ai.sovereign.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform as a client sees it: the all-in-one started in-process on free ports, every call through the
 * gateway with an API key, exactly as an application or an operator would make it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformEndToEndTest {

    private static final String MODEL = "llama3.1:8b";

    @TempDir
    static Path dataDir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private AllInOne platform;
    private String gateway;
    private String adminKey;
    private String userKey;

    @BeforeAll
    void startPlatformAndCreateAUserKey() throws Exception {
        platform = AllInOne.start(new LocalSettings(dataDir, 0, 0, 0, true));
        gateway = platform.serviceUrls().get("gateway");
        adminKey = Files.readString(PlatformServices.bootstrapKeyFile(platform.settings()))
                .strip();
        HttpResponse<String> created = send(
                "POST",
                "/admin/keys",
                adminKey,
                "{\"name\":\"e2e-app\",\"tenant\":\"acme\",\"role\":\"user\",\"allowed_models\":[\"*\"]}");
        assertEquals(201, created.statusCode(), created.body());
        userKey = json.readTree(created.body()).path("key").asString();
        assertTrue(userKey.startsWith("sk-"), created.body());
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void chatsInTheOpenAiDialectStreamingAndNot() throws Exception {
        HttpResponse<String> plain = send(
                "POST",
                "/v1/chat/completions",
                userKey,
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        assertEquals(200, plain.statusCode(), plain.body());
        JsonNode body = json.readTree(plain.body());
        assertFalse(
                body.path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString()
                        .isBlank(),
                plain.body());
        assertTrue(body.path("usage").path("completion_tokens").asInt() > 0, plain.body());

        HttpResponse<String> stream = send(
                "POST",
                "/v1/chat/completions",
                userKey,
                "{\"model\":\"" + MODEL
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> events =
                stream.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertTrue(events.size() > 2, stream.body());
        assertEquals("data: [DONE]", events.getLast());
        assertTrue(events.getFirst().contains("\"delta\""), events.getFirst());
    }

    @Test
    void chatsInTheOllamaDialectStreamingAndNot() throws Exception {
        HttpResponse<String> plain = send(
                "POST",
                "/api/chat",
                userKey,
                "{\"model\":\"" + MODEL
                        + "\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        assertEquals(200, plain.statusCode(), plain.body());
        JsonNode body = json.readTree(plain.body());
        assertTrue(body.path("done").asBoolean(), plain.body());
        assertFalse(body.path("message").path("content").asString().isBlank(), plain.body());
        assertTrue(body.path("eval_count").asInt() > 0, plain.body());

        HttpResponse<String> stream = send(
                "POST",
                "/api/chat",
                userKey,
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
        assertEquals(200, stream.statusCode(), stream.body());
        List<String> lines = stream.body().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() > 2, stream.body());
        assertFalse(json.readTree(lines.getFirst()).path("done").asBoolean());
        assertTrue(json.readTree(lines.getLast()).path("done").asBoolean(), lines.getLast());
    }

    @Test
    void uploadsADocumentFindsItWithSearchAndChatAndSeesTheUploadInTheAuditTrail() throws Exception {
        String boundary = "e2e-" + System.nanoTime();
        String multipart = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"reactor-notes.md\"\r\n"
                + "Content-Type: text/markdown\r\n\r\n"
                + "# Reactor notes\n\nThe Zephyr reactor cooling loop runs on heavy water held at 42 degrees.\n\n"
                + "Maintenance of the Zephyr loop happens every spring.\n\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> upload = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/api/v1/sources/upload"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + userKey)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(multipart))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, upload.statusCode(), upload.body());
        String sourceId =
                json.readTree(upload.body()).path("sources").path(0).path("id").asString();
        assertFalse(sourceId.isBlank(), upload.body());

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> source = send("GET", "/api/v1/sources/" + sourceId, userKey, null);
                    assertEquals(200, source.statusCode(), source.body());
                    String status = json.readTree(source.body()).path("status").asString();
                    assertFalse("failed".equals(status), source.body());
                    assertEquals("ready", status, source.body());
                });

        HttpResponse<String> search = send(
                "POST",
                "/api/v1/search",
                userKey,
                "{\"query\":\"Zephyr reactor cooling loop\",\"top_k\":3,\"mode\":\"hybrid\"}");
        assertEquals(200, search.statusCode(), search.body());
        assertEquals(
                sourceId,
                json.readTree(search.body())
                        .path("data")
                        .path(0)
                        .path("source_id")
                        .asString(),
                search.body());

        HttpResponse<String> chat = send(
                "POST",
                "/api/v1/chat",
                userKey,
                "{\"question\":\"What does the Zephyr reactor cooling loop run on?\",\"model\":\"" + MODEL + "\"}");
        assertEquals(200, chat.statusCode(), chat.body());
        JsonNode answer = json.readTree(chat.body());
        assertFalse(answer.path("answer").asString().isBlank(), chat.body());
        assertEquals(
                sourceId, answer.path("citations").path(0).path("source_id").asString(), chat.body());

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> events =
                            send("GET", "/api/v1/audit/events?resource_id=" + sourceId, adminKey, null);
                    assertEquals(200, events.statusCode(), events.body());
                    assertTrue(events.body().contains("ingestion.source.upload"), events.body());
                });
    }

    @Test
    void keyCreationIsInTheAuditTrailAndTheChainVerifies() throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> events = send("GET", "/api/v1/audit/events?action=key.create", adminKey, null);
                    assertEquals(200, events.statusCode(), events.body());
                    assertTrue(events.body().contains("key.create"), events.body());
                });
        HttpResponse<String> verify = send("GET", "/api/v1/audit/verify", adminKey, null);
        assertEquals(200, verify.statusCode(), verify.body());
        assertTrue(verify.body().contains("\"OK\"") || verify.body().contains("\"ok\""), verify.body());
    }

    @Test
    void runsABackupOfThePlatformVectorsIncludedAndVerifiesItByRestoringIntoScratch() throws Exception {
        HttpResponse<String> started = send(
                "POST",
                "/api/v1/backups",
                adminKey,
                "{\"components\":[\"postgres\",\"neo4j\",\"config\",\"vectors\"]}");
        assertEquals(202, started.statusCode(), started.body());
        String id = json.readTree(started.body()).path("id").asString();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> run = send("GET", "/api/v1/backups/" + id, adminKey, null);
                    assertEquals(200, run.statusCode(), run.body());
                    String status = json.readTree(run.body()).path("status").asString();
                    assertFalse("failed".equals(status), run.body());
                    assertEquals("succeeded", status, run.body());
                });
        HttpResponse<String> verify = send("POST", "/api/v1/backups/" + id + "/verify", adminKey, "{}");
        assertEquals(200, verify.statusCode(), verify.body());
        assertTrue(json.readTree(verify.body()).path("passed").asBoolean(), verify.body());
        // vectors: the backup-service called the ingestion service (its URL set by the launcher) with its own service
        // token, and verify restored them into ingestion's scratch store and read them back
        assertTrue(
                json.readTree(verify.body())
                        .path("components")
                        .path("vectors")
                        .path("passed")
                        .asBoolean(),
                verify.body());
    }

    @Test
    void eachServiceLogsInAsItsOwnRoleWhichCannotReachAnotherServicesRows() throws Exception {
        DatabaseCredentials passwords = platform.platform().databaseCredentials();
        try (Connection superuser = login(DatabaseRoles.SUPERUSER, passwords);
                ResultSet rs = superuser.createStatement().executeQuery("""
                        SELECT string_agg(DISTINCT a.usename, ',' ORDER BY a.usename), bool_or(r.rolsuper)
                        FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
                        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()""")) {
            rs.next();
            assertEquals("audit,backup,gateway,ingestion,router", rs.getString(1), "the services' pools");
            assertFalse(rs.getBoolean(2), "no service is connected as a superuser");
        }
        try (Connection superuser = login(DatabaseRoles.SUPERUSER, passwords);
                PreparedStatement roles = superuser.prepareStatement(
                        "SELECT count(*), bool_or(rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)"
                                + " FROM pg_roles WHERE rolname = ANY(?)")) {
            roles.setArray(
                    1, superuser.createArrayOf("text", DatabaseRoles.logins().toArray()));
            try (ResultSet rs = roles.executeQuery()) {
                rs.next();
                assertEquals(DatabaseRoles.logins().size(), rs.getInt(1));
                assertFalse(rs.getBoolean(2), "no login is a superuser or may create roles or databases");
            }
        }
        try (Connection gateway = login("gateway", passwords)) {
            assertEquals(1, count(gateway, "SELECT count(*) FROM gateway.api_keys WHERE name = 'e2e-app'"));
            assertRefused(gateway, "SELECT count(*) FROM audit.events", "permission denied for schema audit");
            assertRefused(gateway, "SELECT count(*) FROM ingestion.sources", "permission denied for schema ingestion");
            assertRefused(
                    gateway,
                    "COPY (SELECT 1) TO PROGRAM 'id'",
                    "permission denied to COPY to or from an external program");
        }
        try (Connection router = login("router", passwords)) {
            assertRefused(router, "UPDATE gateway.api_keys SET role = 'admin'", "permission denied for schema gateway");
        }
        try (Connection audit = login("audit", passwords)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> count(audit, "SELECT count(*) FROM audit.events") > 0); // the login reads its trail
            // refused by the missing grants, before the append-only triggers are reached
            assertRefused(audit, "UPDATE audit.events SET action = 'hidden'", "permission denied for table events");
            assertRefused(audit, "DELETE FROM audit.events", "permission denied for table events");
            assertRefused(audit, "TRUNCATE audit.events", "permission denied for table events");
            assertRefused(audit, "DELETE FROM audit.checkpoints", "permission denied for table checkpoints");
            assertRefused(audit, "DROP TABLE audit.events", "must be owner of table events");
            assertRefused(
                    audit,
                    "SELECT audit.drop_month_partition('events', current_date)",
                    "holds rows younger than 90 days");
        }
        SQLException wrongPassword = assertThrows(
                SQLException.class, () -> DriverManager.getConnection(jdbcUrl(), "gateway", "not-its-password"));
        assertEquals("28P01", wrongPassword.getSQLState(), wrongPassword.getMessage());
        SQLException noPassword = assertThrows(
                SQLException.class, () -> DriverManager.getConnection(jdbcUrl(), DatabaseRoles.SUPERUSER, ""));
        assertTrue(noPassword.getMessage().contains("password"), noPassword.getMessage());
    }

    private String jdbcUrl() {
        return platform.platform().postgres().jdbcUrl(LocalSettings.DATABASE);
    }

    private Connection login(String login, DatabaseCredentials passwords) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), login, passwords.password(login));
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertRefused(Connection connection, String sql, String reason) {
        SQLException refused = assertThrows(
                SQLException.class, () -> connection.createStatement().execute(sql), sql);
        assertTrue(refused.getMessage().contains(reason), sql + ": " + refused.getMessage());
    }

    @Test
    void aUserKeyCannotReachTheOperationsApis() throws Exception {
        assertEquals(
                403, send("GET", "/api/orchestrator/servers", userKey, null).statusCode());
        assertEquals(403, send("GET", "/api/v1/audit/events", userKey, null).statusCode());
        assertEquals(403, send("GET", "/api/v1/backups", userKey, null).statusCode());
        assertEquals(401, send("GET", "/v1/models", "sk-not-a-key", null).statusCode());
    }

    @Test
    void drainingASimulatedHostMovesTrafficToTheOther() throws Exception {
        String drained = "gpu-host-1";
        String other = "gpu-host-2";
        HttpResponse<String> drain = send("POST", "/api/orchestrator/servers/" + drained + "/drain", adminKey, "{}");
        assertEquals(200, drain.statusCode(), drain.body());
        try {
            double drainedBefore = servedBy(drained);
            double otherBefore = servedBy(other);
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> chat = send(
                        "POST",
                        "/v1/chat/completions",
                        userKey,
                        "{\"model\":\"" + MODEL + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"n"
                                + i + "\"}]}");
                assertEquals(200, chat.statusCode(), chat.body());
            }
            assertEquals(drainedBefore, servedBy(drained), "the drained host got no request");
            assertEquals(otherBefore + 6, servedBy(other), "the other host served every request");
        } finally {
            assertEquals(
                    200,
                    send("POST", "/api/orchestrator/servers/" + drained + "/undrain", adminKey, "{}")
                            .statusCode());
        }
    }

    /** Inference requests a simulated host answered in full, from its Prometheus metrics. */
    private double servedBy(String hostId) throws Exception {
        String url = platform.inferenceUrls().get(hostId);
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create(url + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile(
                        "(?m)^vllm:request_success_total\\{model_name=\"" + Pattern.quote(MODEL) + "\"[^}]*} (\\S+)$")
                .matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
