package ai.sovereign.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.behaviour.ModelBehaviour;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/** The routing config as versions in PostgreSQL: patch, rollback, bad patch, save/reload, servers from application.yml. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigVersioningTest {

    RouterHarness router;

    @BeforeAll
    void start() {
        router = RouterHarness.start(
                2,
                "",
                List.of(),
                Map.of(
                        "router.servers[0].id",
                        "static-1",
                        "router.servers[0].url",
                        "http://127.0.0.1:9",
                        "router.servers[0].type",
                        "ollama",
                        "router.servers[0].maxConcurrency",
                        "3"),
                ModelBehaviour.instant());
    }

    @AfterAll
    void stop() {
        router.close();
    }

    @Test
    @Order(1)
    void patchMakesVersion2RollbackMakesVersion3EqualToVersion1AndABadPatchChangesNothing() {
        JsonNode v1 = router.adminJson("GET", "config", null);
        assertEquals(1, v1.path("version").asInt());
        List<String> ids = new java.util.ArrayList<>();
        v1.path("config").path("servers").forEach(s -> ids.add(s.path("id").asString()));
        assertEquals(List.of("sim-0", "static-1"), ids, "router.servers join version 1");

        JsonNode v2 = router.adminJson("PATCH", "config/queue", "{\"maxSize\":2000}");
        assertEquals(2, v2.path("version").asInt());
        assertEquals("ops-admin", v2.path("author").asString());
        assertEquals(2000, v2.path("config").path("queue").path("maxSize").asInt());

        JsonNode v3 = router.adminJson("POST", "config/rollback/1", null);
        assertEquals(3, v3.path("version").asInt());
        assertEquals(v1.path("config"), v3.path("config"));
        assertEquals(v1.path("config"), router.adminJson("GET", "config", null).path("config"));

        HttpResponse<String> bad = router.admin("PATCH", "config/queue", "{\"maxSize\":-5}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("queue.maxSize must be ≥ 1 (got -5)"), bad.body());
        assertEquals(3, router.adminJson("GET", "config", null).path("version").asInt());

        JsonNode history = router.adminJson("GET", "config/history", null);
        assertEquals(3, history.path("current").asInt());
        assertEquals(3, history.path("versions").size());
        assertEquals(
                "rollback to version 1",
                history.path("versions").get(0).path("change").asString());
        assertEquals(404, router.admin("POST", "config/rollback/99", null).statusCode());
    }

    @Test
    void aWholeDocumentIsValidatedFieldByField() {
        int before = router.adminJson("GET", "config", null).path("version").asInt();
        HttpResponse<String> bad = router.admin(
                "POST",
                "config",
                "{\"servers\":[{\"id\":\"x\",\"url\":\"http://h:1\",\"type\":\"tgi\"}],\"retry\":{\"maxAttempts\":0}}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("servers[0].type must be ollama or openai"), bad.body());
        assertTrue(bad.body().contains("retry.maxAttempts must be ≥ 1"), bad.body());
        assertEquals(
                before, router.adminJson("GET", "config", null).path("version").asInt());
        assertEquals(
                400,
                router.admin("PATCH", "config/metrics", "{\"windowMs\":\"soon\"}")
                        .statusCode());
        JsonNode schema = router.adminJson("GET", "config/schema", null);
        assertTrue(schema.path("properties").path("queue").path("properties").has("maxSize"));
    }

    @Test
    void savedConfigReloadsAsANewVersionWithTheSameContent() throws Exception {
        JsonNode current = router.adminJson("GET", "config", null);
        router.adminJson("POST", "config/save", "{\"configPath\":\"saved.yml\"}");
        assertTrue(Files.readString(router.configDirectory.resolve("saved.yml")).contains("maxConcurrency"));
        JsonNode reloaded = router.adminJson("POST", "config/reload", "{\"configPath\":\"saved.yml\"}");
        assertEquals(
                current.path("version").asInt() + 1, reloaded.path("version").asInt());
        assertEquals(current.path("config"), reloaded.path("config"));
        HttpResponse<String> outside =
                router.admin("POST", "config/reload", "{\"configPath\":\"../../etc/passwd.yml\"}");
        assertEquals(400, outside.statusCode());
        assertEquals(
                "configPath",
                RouterHarness.JSON
                        .readTree(outside.body())
                        .path("error")
                        .path("param")
                        .asString());
    }

    @Test
    void serversAddAndDeleteAreVersionsToo() {
        int before = router.adminJson("GET", "config", null).path("version").asInt();
        HttpResponse<String> added = router.admin(
                "POST",
                "servers/add",
                "{\"id\":\"gpu-9\",\"url\":\"http://127.0.0.1:10\",\"type\":\"openai\",\"maxConcurrency\":8}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(
                before + 1,
                router.adminJson("GET", "config", null).path("version").asInt());
        assertEquals(
                409,
                router.admin(
                                "POST",
                                "servers/add",
                                "{\"id\":\"gpu-9\",\"url\":\"http://127.0.0.1:10\",\"type\":\"openai\"}")
                        .statusCode());
        HttpResponse<String> bad =
                router.admin("POST", "servers/add", "{\"id\":\"gpu-10\",\"url\":\"ftp://x\",\"type\":\"openai\"}");
        assertEquals(400, bad.statusCode());
        assertEquals(
                "server.url",
                RouterHarness.JSON
                        .readTree(bad.body())
                        .path("error")
                        .path("param")
                        .asString());
        assertEquals(200, router.admin("DELETE", "servers/gpu-9", null).statusCode());
        assertEquals(
                before + 2,
                router.adminJson("GET", "config", null).path("version").asInt());
        assertEquals(404, router.admin("DELETE", "servers/gpu-9", null).statusCode());
    }
}
